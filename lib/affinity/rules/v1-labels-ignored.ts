import { docs } from '../docs';
import { bareStickyLabels, ev, replicaCount, v1StickyLabels } from '../facts';
import { makeFinding } from '../finding';
import { labelFix } from '../fix';
import { primaryServiceName, serviceLabel } from '../labels';
import type { Rule } from '../types';

export const v1LabelsIgnored: Rule = {
  id: 'v1-labels-ignored',
  severity: 'error',
  title: 'Sticky labels Traefik ignores',
  why: 'Traefik v2 and v3 ignore v1 labels such as traefik.backend.loadbalancer.stickiness, and `loadbalancer.sticky=true` without a `.cookie` key configures no cookie, so the service is not sticky although it looks it.',
  docs: docs.migrationV1,
  evaluate(service, _topology, context) {
    if (context.traefikMajor === 1) return [];
    const v1 = v1StickyLabels(service);
    const bare = bareStickyLabels(service);
    const otherV1 = service.labelConfig.v1Labels.filter((l) => !v1.some((s) => s.key === l.key));
    if (v1.length === 0 && bare.length === 0) return [];
    const effective = service.sticky !== null;
    const cookieName = v1.find((l) => /cookiename$/i.test(l.key))?.value;
    const name = bare[0]?.traefikService ?? primaryServiceName(service);
    const set: Record<string, string> = effective ? {} : { [serviceLabel(name, 'sticky.cookie')]: 'true' };
    if (!effective && cookieName) set[serviceLabel(name, 'sticky.cookie.name')] = cookieName;
    return [
      makeFinding(v1LabelsIgnored, service, {
        // Dead labels on a service that is sticky anyway mislead readers but do not break affinity.
        severity: effective || replicaCount(service) < 2 ? 'warning' : 'error',
        message: effective
          ? 'These labels do nothing on Traefik v2/v3; the service is sticky through its v2 labels, so they only mislead.'
          : `${service.name} looks sticky but is not: ${v1.length ? 'v1 labels are ignored by Traefik v2/v3' : '`sticky=true` without `.cookie` enables nothing'}.`,
        evidence: [
          ...v1.map((l) => ev(`${l.key} (v1, ignored)`, l.value)),
          ...bare.map((l) => ev(`${l.key} (no .cookie key)`, l.value)),
          ...otherV1.map((l) => ev(`${l.key} (v1, ignored)`, l.value)),
          ev('sticky in effect', effective),
        ],
        fix: labelFix(service, {
          set,
          remove: [...v1, ...bare].map((l) => l.key),
          ...(otherV1.length ? { note: 'The other v1 labels listed are ignored too; replace them with traefik.http.routers.* labels.' } : {}),
        }),
      }),
    ];
  },
};
