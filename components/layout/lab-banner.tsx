import type { LabSourceStatus } from '@/lib/topology/types';

/** Says plainly that what is on screen is the built-in demo, not a cluster. */
export function LabBanner({ lab }: { lab: LabSourceStatus }) {
  const where = lab.balancer ? `${lab.balancer.address}:${lab.balancer.port}` : null;
  return (
    <div role="note" aria-label="Embedded demo lab" className="rounded-lg border border-info/40 bg-white px-4 py-3">
      <p className="text-sm font-semibold">Embedded demo lab</p>
      <p className="mt-1 text-sm text-slate-600">
        No cluster is connected, so stickyscope shows its built-in lab: small replicas and a lab balancer (not Traefik)
        that follows each service’s traefik-style labels{where ? `, on ${where}` : ''}. Each service reproduces one classic
        affinity failure; probe it to see the verdict. Set <code>DOCKER_HOST</code> (and <code>TRAEFIK_API_URL</code>) to
        read a real Swarm, or <code>STICKYSCOPE_LAB=0</code> to turn the lab off.
      </p>
    </div>
  );
}
