import type { Topology } from '@/lib/topology/types';

type SourceLine = { status: string; message?: string };

/** What the terminal summary shows; a dashboard's answer and the locally read topology both have it. */
export type TopologySummary = {
  sources: { docker: SourceLine; traefik: SourceLine; lab?: SourceLine };
  services: {
    name: string;
    replicas: { running: number; desired: number | null };
    endpointMode: string;
    sticky: { cookieName: string; secure: boolean } | null;
    routers: { hosts: string[] }[];
  }[];
};

function sourceLine(label: string, source: SourceLine): string {
  return `${label.padEnd(8)} ${source.status}${source.message ? `: ${source.message}` : ''}`;
}

/** A compact, human summary of the topology for terminals. */
export function formatTopology(model: TopologySummary | Topology): string {
  const { docker, traefik, lab } = model.sources;
  const lines = [sourceLine('docker', docker), sourceLine('traefik', traefik), ...(lab ? [sourceLine('lab', lab)] : []), ''];
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
