import { docs } from '../docs';
import { ev } from '../facts';
import { makeFinding } from '../finding';
import { labelFix } from '../fix';
import type { Rule } from '../types';

const SAMESITE_KEY = /\.loadbalancer\.sticky\.cookie\.samesite$/i;

export const invalidLabels: Rule = {
  id: 'invalid-labels',
  severity: 'warning',
  title: 'Labels Traefik cannot use',
  why: 'A label value Traefik cannot parse is not a typo it forgives: it ignores the setting, or skips the whole service, so what the labels say is not what users get.',
  docs: docs.swarmProvider,
  evaluate(service) {
    const { problems } = service.labelConfig;
    if (problems.length === 0) return [];
    // Only SameSite has a value that is right for almost everyone; the other values need the author's intent.
    const sameSite = problems.filter((p) => SAMESITE_KEY.test(p.key) && p.key in service.labels);
    const others = problems.filter((p) => !sameSite.includes(p));
    return [
      makeFinding(invalidLabels, service, {
        message: `${problems.length === 1 ? 'One label has a value' : `${problems.length} labels have values`} Traefik rejects or ignores: ${problems.map((p) => p.key).join(', ')}.`,
        evidence: problems.map((p) => ev(p.value ? `${p.key}=${p.value}` : p.key, p.reason)),
        fix: labelFix(service, {
          set: Object.fromEntries(sameSite.map((p) => [p.key, 'lax'])),
          ...(others.length > 0 ? { note: `Give ${others.map((p) => p.key).join(', ')} a value Traefik accepts; the evidence says why each is refused.` } : {}),
        }),
      }),
    ];
  },
};
