import { docs } from '../docs';
import { ev, hasLabelHealthCheck, isRouted, replicaCount } from '../facts';
import { makeFinding } from '../finding';
import { labelFix } from '../fix';
import { serviceLabel, stickyServiceName } from '../labels';
import type { Rule } from '../types';

export const noHealthCheck: Rule = {
  id: 'no-health-check',
  severity: 'warning',
  title: 'Sticky replicas without a health check',
  why: 'With neither a Traefik health check nor a Docker HEALTHCHECK, a hung replica stays in rotation and keeps every user its cookie pins to it.',
  docs: docs.healthCheck,
  evaluate(service) {
    if (!service.sticky || !isRouted(service) || replicaCount(service) < 2) return [];
    if (service.traefikHealthCheck || service.hasHealthCheck || hasLabelHealthCheck(service)) return [];
    const name = stickyServiceName(service);
    return [
      makeFinding(noHealthCheck, service, {
        message: `${service.name} pins users to one of ${replicaCount(service)} replicas, but nothing checks that replica is alive; a hung one keeps its users until it is removed by hand.`,
        evidence: [ev('traefik health check', false), ev('docker HEALTHCHECK', false), ev('replicas', service.replicas.running)],
        fix: labelFix(service, {
          set: { [serviceLabel(name, 'healthcheck.path')]: '/', [serviceLabel(name, 'healthcheck.interval')]: '10s' },
          note: 'Point the path at a cheap endpoint that fails when the replica is stuck, or add a HEALTHCHECK to the image.',
        }),
      }),
    ];
  },
};
