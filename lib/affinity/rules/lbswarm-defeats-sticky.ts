import { docs } from '../docs';
import { ev, isRouted, replicaCount, vipServer } from '../facts';
import { makeFinding } from '../finding';
import { labelFix } from '../fix';
import { findLabels, isTrue, providerLabels } from '../labels';
import type { Rule } from '../types';

export const lbswarmDefeatsSticky: Rule = {
  id: 'lbswarm-defeats-sticky',
  severity: 'error',
  title: 'Swarm’s VIP balances behind Traefik',
  why: 'Traefik sends every request to one address, the service VIP or DNS name, and Swarm spreads them over the replicas itself, so Traefik’s cookie can never pin a user to a replica.',
  docs: docs.swarmLabels,
  evaluate(service) {
    if (!isRouted(service) || replicaCount(service) < 2) return [];
    const lbswarm = providerLabels(service, 'lbswarm').filter((l) => isTrue(l.value));
    const vip = vipServer(service);
    if (!service.labelConfig.lbswarm && lbswarm.length === 0 && !vip) return [];
    const serverUrls = findLabels(service.labels, /^traefik\.http\.services\.[^.]+\.loadbalancer\.server\.url$/i);
    const remove = [...lbswarm, ...(vip ? serverUrls : [])].map((l) => l.key);
    return [
      makeFinding(lbswarmDefeatsSticky, service, {
        message: `Traefik reaches ${service.name} through ${vip ? vip.url : 'the Swarm VIP (lbswarm)'} instead of per-task addresses, so Swarm picks the replica and the sticky cookie has nothing to pin.`,
        evidence: [
          ...lbswarm.map((l) => ev(l.key, l.value)),
          ...(vip ? [ev('only server', `${vip.url} (no task has this address)`)] : []),
          ev('replicas', `${service.replicas.running} running`),
          ev('endpoint mode', service.endpointMode),
        ],
        fix:
          remove.length > 0
            ? labelFix(service, { remove, note: 'Traefik then lists every task as its own server.' })
            : { labelsToAdd: {}, labelsToRemove: [], note: 'The single server does not come from this service’s labels; point Traefik at the Swarm provider’s per-task servers instead.' },
      }),
    ];
  },
};
