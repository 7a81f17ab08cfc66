import { docs } from '../docs';
import { ev, isRouted, replicaCount } from '../facts';
import { makeFinding } from '../finding';
import type { Rule } from '../types';

export const singleReplica: Rule = {
  id: 'single-replica',
  severity: 'info',
  title: 'Single replica',
  why: 'With one replica every request reaches the same task, so affinity holds trivially and cannot be verified until the service scales.',
  docs: docs.sticky,
  evaluate(service) {
    if (!isRouted(service) || replicaCount(service) > 1) return [];
    return [
      makeFinding(singleReplica, service, {
        message: `${service.name} runs ${replicaCount(service)} replica; stickiness ${service.sticky ? 'is configured but' : 'is'} not exercised until it scales.`,
        evidence: [
          ev('replicas', `${service.replicas.running} running / ${service.replicas.desired ?? 'global'} desired`),
          ev('sticky cookie', service.sticky ? 'configured' : null),
        ],
        fix: null,
      }),
    ];
  },
};
