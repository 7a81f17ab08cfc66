import type { TraefikRouter } from '@/lib/traefik/types';
import { anyHost } from '../context';
import { docs } from '../docs';
import { appRouters, describeRouter, ev, replicaCount, stickyOfRouterTarget } from '../facts';
import { makeFinding } from '../finding';
import { labelFix } from '../fix';
import { routerLabel, sameName, serviceLabel, stripProvider } from '../labels';
import type { Finding, Rule } from '../types';

function port(ports: Record<string, number>, traefikService: string): number | undefined {
  return Object.entries(ports).find(([name]) => sameName(name, traefikService))?.[1];
}

/**
 * Only routers of one Swarm service are compared: they reach the same replicas, so the unpinned path can land a
 * user on another replica than the pinned one. A second Swarm service without a cookie is `no-sticky`'s concern.
 */
export const splitRouters: Rule = {
  id: 'split-routers',
  severity: 'error',
  title: 'One path of a sticky host is not sticky',
  why: 'Several routers serve one host but only some send to the Traefik service with the sticky cookie; requests on the other paths (often /socket.io or /api) are balanced freely and reach replicas without the user’s session.',
  docs: docs.routerService,
  evaluate(service) {
    if (replicaCount(service) < 2) return [];
    const byHost = new Map<string, TraefikRouter[]>();
    for (const router of appRouters(service)) {
      for (const host of router.hosts.length ? router.hosts.map((h) => h.toLowerCase()) : [anyHost]) {
        byHost.set(host, [...(byHost.get(host) ?? []), router]);
      }
    }
    const findings: Finding[] = [];
    const reported = new Set<string>();
    for (const [host, routers] of byHost) {
      const sticky = routers.filter((r) => stickyOfRouterTarget(service, r));
      const loose = routers.filter((r) => stickyOfRouterTarget(service, r) === null && !reported.has(r.name));
      const anchor = sticky[0];
      if (!anchor) continue;
      for (const router of loose.filter((r) => !sameName(r.service, anchor.service))) {
        reported.add(router.name);
        const target = stripProvider(anchor.service);
        const samePort = port(service.labelConfig.serverPorts, router.service) === port(service.labelConfig.serverPorts, anchor.service);
        findings.push(
          makeFinding(splitRouters, service, {
            message: `On ${host === anyHost ? 'every host' : host}, ${anchor.name} sends to sticky service ${anchor.service} but ${router.name} sends to ${router.service}, which has no sticky cookie, so its requests can reach a replica other than the user’s.`,
            evidence: [
              ev('host', host),
              ev('sticky router', `${describeRouter(anchor)} → ${anchor.service}`),
              ev('non-sticky router', `${describeRouter(router)} → ${router.service}`),
            ],
            fix: samePort
              ? labelFix(service, {
                  set: { [routerLabel(router.name, 'service')]: target },
                  note: `One cookie then pins every path of ${host === anyHost ? 'the service' : host} to the same replica.`,
                })
              : labelFix(service, {
                  set: { [serviceLabel(stripProvider(router.service), 'sticky.cookie')]: 'true' },
                  note: 'The two Traefik services use different ports, so they cannot share one cookie; each path is then pinned on its own.',
                }),
          }),
        );
      }
    }
    return findings;
  },
};
