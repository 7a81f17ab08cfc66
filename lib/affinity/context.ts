// Facts about the whole topology, computed once per evaluation and shared by every rule.
import type { Topology } from '@/lib/topology/types';
import { appRouters } from './facts';
import type { RuleContext } from './types';

/** Routers without a Host matcher answer for any host; they share this key. */
export const anyHost = '*';

function majorVersion(version: string | undefined): number | null {
  const match = /(\d+)\./.exec(version ?? '');
  return match?.[1] ? Number(match[1]) : null;
}

export function buildContext(topology: Topology): RuleContext {
  const routersByHost: RuleContext['routersByHost'] = new Map();
  for (const service of topology.services) {
    for (const router of appRouters(service)) {
      const hosts = router.hosts.length ? router.hosts.map((h) => h.toLowerCase()) : [anyHost];
      for (const host of new Set(hosts)) {
        const list = routersByHost.get(host) ?? [];
        list.push({ service, router });
        routersByHost.set(host, list);
      }
    }
  }
  const fromApi = topology.sources.traefik.status === 'ok' && topology.sources.traefik.origin !== 'labels';
  return { traefikMajor: fromApi ? majorVersion(topology.sources.traefik.version) : null, routersByHost };
}
