import { docs } from '../docs';
import { ev } from '../facts';
import { makeFinding } from '../finding';
import { labelFix } from '../fix';
import { serviceLabel, stickyAttributeLabels, stickyServiceName } from '../labels';
import type { Rule } from '../types';

const oneDay = '86400';

export const sessionCookie: Rule = {
  id: 'session-cookie',
  severity: 'info',
  title: 'Sticky cookie ends with the browser session',
  why: 'Without maxAge the sticky cookie is a session cookie: closing the browser forgets the replica, and the next visit may land elsewhere.',
  docs: docs.sticky,
  evaluate(service, _topology, context) {
    const sticky = service.sticky;
    if (!sticky || (sticky.maxAge !== null && sticky.maxAge > 0)) return [];
    const label = stickyAttributeLabels(service, 'maxage')[0];
    const key = label?.key ?? serviceLabel(stickyServiceName(service), 'sticky.cookie.maxage');
    // Traefik sends a negative maxAge as an expired cookie: browsers drop it at once and no request is ever pinned.
    if (sticky.maxAge !== null && sticky.maxAge < 0) {
      return [
        makeFinding(sessionCookie, service, {
          severity: 'error',
          title: 'Sticky cookie expires immediately',
          message: `maxAge is ${sticky.maxAge}: Traefik marks the cookie as already expired, so browsers discard it and every request is balanced anew.`,
          evidence: [label ? ev(label.key, label.value) : ev('sticky.maxAge', sticky.maxAge)],
          fix: labelFix(service, { set: { [key]: oneDay } }),
        }),
      ];
    }
    const v2 = context.traefikMajor === 2;
    return [
      makeFinding(sessionCookie, service, {
        message: 'The sticky cookie has no maxAge, so it lasts only until the browser closes; users come back to a random replica.',
        evidence: [label ? ev(label.key, label.value) : ev('sticky.maxAge', null)],
        fix: v2
          ? { labelsToAdd: {}, labelsToRemove: [], note: 'maxAge for sticky cookies arrived in Traefik v3; v2 only sets session cookies.' }
          : labelFix(service, { set: { [key]: oneDay }, note: 'One day; pick the length of a typical user session.' }),
      }),
    ];
  },
};
