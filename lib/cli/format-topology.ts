import type { Topology } from '@/lib/topology/types';

function sourceLine(label: string, source: { status: string; message?: string; ms: number }): string {
  return `${label.padEnd(8)} ${source.status}${source.message ? `: ${source.message}` : ''}`;
}

/** A compact, human summary of the topology for terminals. */
export function formatTopology(model: Topology): string {
  const lines = [sourceLine('docker', model.sources.docker), sourceLine('traefik', model.sources.traefik), ''];
  for (const s of model.services) {
    const sticky = s.sticky
      ? `sticky cookie ${s.sticky.cookieName}${s.sticky.secure ? ' (Secure)' : ''}`
      : s.routers.length > 0
        ? 'NOT sticky'
        : 'not routed';
    const hosts = [...new Set(s.routers.flatMap((r) => r.hosts))].join(',');
    lines.push(`${s.name.padEnd(28)} ${`${s.replicas.running}/${s.replicas.desired ?? 'global'}`.padEnd(7)} ${s.endpointMode.padEnd(5)} ${sticky}${hosts ? `  ${hosts}` : ''}`);
  }
  if (model.services.length === 0) lines.push('(no services)');
  return lines.join('\n');
}
