import type { TopologyServer } from '@/lib/topology/types';
import { docs } from '../docs';
import { ev, isRouted, usesLbswarm, vipServer } from '../facts';
import { makeFinding } from '../finding';
import type { Evidence, Rule } from '../types';

export const staleServers: Rule = {
  id: 'stale-servers',
  severity: 'warning',
  title: 'Traefik servers and running tasks do not match',
  why: 'A server URL with no running task behind it keeps the users whose cookie names it pinned to a dead replica until Traefik refreshes; a running task Traefik does not route to gets no users at all.',
  docs: docs.swarmProvider,
  evaluate(service) {
    if (!isRouted(service) || service.servers.length === 0) return [];
    // A VIP server never has a task behind it; lbswarm-defeats-sticky reports that case.
    if (usesLbswarm(service) || vipServer(service)) return [];
    // One Swarm service behind several Traefik services (split routers) lists each URL once per Traefik service.
    const staleByUrl = new Map<string, TopologyServer[]>();
    for (const s of service.servers) if (s.taskId === null) staleByUrl.set(s.url, [...(staleByUrl.get(s.url) ?? []), s]);
    const stale = [...staleByUrl.values()].map(([first, ...rest]) => ({ ...first!, others: rest.length }));
    const unrouted = service.unroutedTaskIds.map((id) => service.tasks.find((t) => t.id === id) ?? null);
    if (stale.length === 0 && unrouted.length === 0) return [];
    const evidence: Evidence[] = [
      ...stale.map((s) =>
        ev('server without task', `${s.url} (status ${s.status ?? 'unknown'}${s.others ? `, in ${s.others + 1} Traefik services` : ''})`),
      ),
      ...unrouted.map((t, i) =>
        t
          ? ev('task not routed', `slot ${t.slot ?? '-'} ${t.id.slice(0, 12)} ${t.state} ${t.networks.map((n) => `${n.name ?? '?'}=${n.ip}`).join(' ') || 'no address'}`)
          : ev('task not routed', service.unroutedTaskIds[i] ?? ''),
      ),
    ];
    const parts = [
      stale.length ? `${stale.length} Traefik server${stale.length > 1 ? 's point' : ' points'} at no running task` : '',
      unrouted.length ? `${unrouted.length} running task${unrouted.length > 1 ? 's get' : ' gets'} no traffic from Traefik` : '',
    ].filter(Boolean);
    return [
      makeFinding(staleServers, service, {
        message: `${parts.join(' and ')}; users pinned to a missing server are re-balanced only after Traefik drops it.`,
        evidence,
        fix: {
          labelsToAdd: {},
          labelsToRemove: [],
          note: 'Traefik re-reads Swarm on its refresh interval (providers.swarm.refreshSeconds, 15 s by default). If the mismatch persists, check the network label and loadbalancer.server.port.',
        },
      }),
    ];
  },
};
