import { docs } from '../docs';
import { ev } from '../facts';
import { makeFinding } from '../finding';
import { labelFix } from '../fix';
import { serviceLabel, stickyAttributeLabels, stickyServiceName } from '../labels';
import type { Rule } from '../types';

export const httpOnlyOff: Rule = {
  id: 'httponly-off',
  severity: 'info',
  title: 'Sticky cookie readable by scripts',
  why: 'Without HttpOnly page scripts can read and overwrite the sticky cookie; affinity still works, but a script that clears cookies re-balances the user.',
  docs: docs.sticky,
  evaluate(service) {
    if (!service.sticky || service.sticky.httpOnly) return [];
    const label = stickyAttributeLabels(service, 'httponly')[0];
    return [
      makeFinding(httpOnlyOff, service, {
        message: 'The sticky cookie is not HttpOnly, so page scripts can read or clear it.',
        evidence: [label ? ev(label.key, label.value) : ev('sticky.httpOnly', false)],
        fix: labelFix(service, { set: { [label?.key ?? serviceLabel(stickyServiceName(service), 'sticky.cookie.httponly')]: 'true' } }),
      }),
    ];
  },
};
