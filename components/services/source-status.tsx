import type { Topology } from '@/lib/topology/types';
import { Badge, type Tone } from '@/components/ui/badge';

const tones = { ok: 'healthy', error: 'down', off: 'unknown' } satisfies Record<string, Tone>;

function SourceCard({ label, status, detail, message }: { label: string; status: 'ok' | 'error' | 'off'; detail?: string; message?: string }) {
  return (
    <div
      role={status === 'error' ? 'alert' : undefined}
      aria-label={`${label} source`}
      className="flex min-w-0 flex-1 flex-col gap-1 rounded-lg border border-slate-200 bg-white px-4 py-3"
    >
      <div className="flex items-center gap-2">
        <span className="text-sm font-semibold">{label}</span>
        <Badge tone={tones[status]}>{status}</Badge>
        {detail ? <span className="truncate text-xs text-slate-500">{detail}</span> : null}
      </div>
      {message ? <p className="text-sm text-slate-600">{message}</p> : null}
    </div>
  );
}

export function SourceStatus({ sources }: { sources: Topology['sources'] }) {
  const { docker, traefik } = sources;
  const dockerDetail = docker.status === 'ok' ? `Engine ${docker.engineVersion ?? '?'} · API ${docker.apiVersion ?? '?'} · ${docker.ms} ms` : undefined;
  const traefikDetail =
    traefik.status === 'ok'
      ? `Traefik ${traefik.version ?? '?'} · ${traefik.ms} ms`
      : traefik.origin === 'labels'
        ? 'using service labels'
        : undefined;
  return (
    <div className="flex flex-col gap-3 md:flex-row">
      <SourceCard label="Docker Swarm" status={docker.status} detail={dockerDetail} message={docker.message} />
      <SourceCard label="Traefik" status={traefik.status} detail={traefikDetail} message={traefik.message} />
    </div>
  );
}
