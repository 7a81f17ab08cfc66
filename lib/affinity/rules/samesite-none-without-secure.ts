import { docs } from '../docs';
import { appRouters, describeSticky, ev, tlsReason } from '../facts';
import { makeFinding } from '../finding';
import { labelFix } from '../fix';
import { serviceLabel, stickyAttributeLabels, stickyServiceName } from '../labels';
import type { Rule } from '../types';

export const sameSiteNoneWithoutSecure: Rule = {
  id: 'samesite-none-without-secure',
  severity: 'error',
  title: 'SameSite=None without Secure',
  why: 'Chromium-based browsers reject a SameSite=None cookie that is not also Secure, so the sticky cookie is never stored.',
  docs: docs.sticky,
  evaluate(service) {
    const sticky = service.sticky;
    if (!sticky || sticky.secure || sticky.sameSite?.toLowerCase() !== 'none') return [];
    const name = stickyServiceName(service);
    const allTls = appRouters(service).every((r) => tlsReason(service, r) !== null);
    const sameSite = stickyAttributeLabels(service, 'samesite');
    return [
      makeFinding(sameSiteNoneWithoutSecure, service, {
        message: 'The sticky cookie is SameSite=None but not Secure; Chrome and Edge drop it, so their users are never pinned.',
        evidence: [...sameSite.map((l) => ev(l.key, l.value)), ev('sticky cookie', describeSticky(sticky))],
        // Secure only helps where every router is HTTPS; otherwise Lax keeps the cookie working over http.
        fix: allTls
          ? labelFix(service, { set: { [serviceLabel(name, 'sticky.cookie.secure')]: 'true' } })
          : labelFix(service, {
              set: { [sameSite[0]?.key ?? serviceLabel(name, 'sticky.cookie.samesite')]: 'lax' },
              note: 'Some routers serve plain http, where a Secure cookie would be lost; Lax keeps it for same-site requests.',
            }),
      }),
    ];
  },
};
