import { docs } from '../docs';
import { appRouters, bareStickyLabels, describeRouter, ev, isRouted, replicaCount, tlsReason, v1StickyLabels } from '../facts';
import { makeFinding } from '../finding';
import { labelFix } from '../fix';
import { primaryServiceName, serviceLabel } from '../labels';
import type { Rule } from '../types';

export const noSticky: Rule = {
  id: 'no-sticky',
  severity: 'error',
  title: 'Several replicas, no sticky cookie',
  why: 'Without a sticky cookie Traefik balances each request on its own, so a user’s next request usually reaches a replica that has never seen their session.',
  docs: docs.sticky,
  evaluate(service) {
    if (!isRouted(service) || replicaCount(service) < 2 || service.sticky) return [];
    // Stickiness that was meant but did not take effect is reported by the rule that names the cause.
    if (service.labelSticky || v1StickyLabels(service).length || bareStickyLabels(service).length) return [];
    const name = primaryServiceName(service);
    const routers = appRouters(service);
    const allTls = routers.every((r) => tlsReason(service, r) !== null);
    return [
      makeFinding(noSticky, service, {
        message: `${service.replicas.running} replicas of ${service.name} are routed by Traefik without a sticky cookie, so requests from one user are spread across all of them.`,
        evidence: [
          ev('replicas', `${service.replicas.running} running / ${service.replicas.desired ?? 'global'} desired`),
          ev('traefik service', name),
          ev('sticky cookie', null),
          ...routers.map((r) => ev('router', describeRouter(r))),
        ],
        fix: labelFix(service, {
          set: {
            [serviceLabel(name, 'sticky.cookie')]: 'true',
            [serviceLabel(name, 'sticky.cookie.httponly')]: 'true',
            ...(allTls ? { [serviceLabel(name, 'sticky.cookie.secure')]: 'true' } : {}),
          },
        }),
      }),
    ];
  },
};
