import { docs } from '../docs';
import { appRouters, describeRouter, ev, tlsReason } from '../facts';
import { makeFinding } from '../finding';
import { labelFix } from '../fix';
import { serviceLabel, stickyAttributeLabels, stickyServiceName } from '../labels';
import type { Rule } from '../types';

/**
 * A router counts as plain http when it has no `tls`, no label-defined redirectScheme=https middleware, and at
 * least one entrypoint whose name does not read as TLS (`websecure`, `https`, `tls`, `ssl`, `443`). The model does
 * not carry entrypoint-level TLS or redirections, so a TLS-sounding name is trusted to avoid false alarms; a router
 * with no entrypoints listed joins every default entrypoint, which normally includes plain `web`.
 */
export const secureCookieOverHttp: Rule = {
  id: 'secure-cookie-over-http',
  severity: 'error',
  title: 'Secure sticky cookie served over plain http',
  why: 'Browsers store a Secure cookie but never send it back over http, so every plain-http request arrives without it and is balanced anew.',
  docs: docs.sticky,
  evaluate(service) {
    const sticky = service.sticky;
    if (!sticky?.secure) return [];
    const routers = appRouters(service);
    const plain = routers.filter((r) => tlsReason(service, r) === null);
    if (plain.length === 0) return [];
    const secureLabels = stickyAttributeLabels(service, 'secure');
    const sameSiteNone = sticky.sameSite?.toLowerCase() === 'none';
    const alternative = 'Or keep Secure and serve every router to this service over HTTPS (tls=true on a TLS entrypoint, http redirected to https).';
    return [
      makeFinding(secureCookieOverHttp, service, {
        message: `The sticky cookie is Secure, but ${plain.map((r) => r.name).join(', ')} serve${plain.length === 1 ? 's' : ''} plain http: browsers never return the cookie there, so those users are re-balanced on every request.`,
        evidence: [
          ...secureLabels.map((l) => ev(l.key, l.value)),
          ev('sticky.secure', `${sticky.secure} (from ${service.traefikOrigin ?? 'unknown'})`),
          ...plain.map((r) => ev('plain-http router', describeRouter(r))),
          ...routers.flatMap((r) => {
            const reason = tlsReason(service, r);
            return reason ? [ev('tls router', `${r.name} (${reason})`)] : [];
          }),
        ],
        fix: sameSiteNone
          ? { labelsToAdd: {}, labelsToRemove: [], note: `SameSite=None needs Secure, so serve these routers over HTTPS instead. ${alternative}` }
          : labelFix(service, {
              set: { [secureLabels[0]?.key ?? serviceLabel(stickyServiceName(service), 'sticky.cookie.secure')]: 'false' },
              note: alternative,
            }),
      }),
    ];
  },
};
