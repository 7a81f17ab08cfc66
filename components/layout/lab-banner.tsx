import type { LabSourceStatus, Topology } from '@/lib/topology/types';

/** The lab stands in for a cluster: none is configured, so Docker and Traefik are both off. */
export function isLabAlone(sources: Topology['sources']): boolean {
  return sources.lab !== undefined && sources.docker.status === 'off' && sources.traefik.status === 'off';
}

/** Says plainly that lab services are the built-in demo, not a cluster, and whether a real cluster is shown too. */
export function LabBanner({ lab, sources }: { lab: LabSourceStatus; sources: Topology['sources'] }) {
  const where = lab.balancer ? `${lab.balancer.address}:${lab.balancer.port}` : null;
  return (
    <div
      role="note"
      aria-label="Embedded demo lab"
      className={`rounded-lg border bg-white px-4 py-3 ${lab.status === 'error' ? 'border-down/40' : 'border-info/40'}`}
    >
      <p className="text-sm font-semibold">Embedded demo lab</p>
      {lab.status === 'error' ? (
        <p role="alert" className="mt-1 text-sm text-down">
          {lab.message}
        </p>
      ) : !isLabAlone(sources) ? (
        <p className="mt-1 text-sm text-slate-600">
          The built-in lab runs beside your cluster (<code>STICKYSCOPE_LAB=1</code>): services marked <em>demo lab</em> are
          small replicas behind a lab balancer (not Traefik){where ? ` on ${where}` : ''}, one per classic affinity failure.
          Their labels can be edited to try a fix; your cluster&apos;s never are.
        </p>
      ) : (
        <p className="mt-1 text-sm text-slate-600">
          No cluster is connected, so stickyscope shows its built-in lab: small replicas and a lab balancer (not Traefik)
          that follows each service’s traefik-style labels{where ? `, on ${where}` : ''}. Each service reproduces one classic
          affinity failure; probe it to see the verdict, and edit its labels on its page to try a fix. Set{' '}
          <code>DOCKER_HOST</code> (and <code>TRAEFIK_API_URL</code>) to read a real Swarm, or <code>STICKYSCOPE_LAB=0</code>{' '}
          to turn the lab off.
        </p>
      )}
    </div>
  );
}
