import type { TopologyService } from '@/lib/topology/types';
import { anyHost } from '../context';
import { docs } from '../docs';
import { appRouters, ev } from '../facts';
import { makeFinding } from '../finding';
import { labelFix } from '../fix';
import { serviceLabel, stickyAttributeLabels, stickyServiceName } from '../labels';
import type { Evidence, Rule } from '../types';

/** Session cookies that common frameworks set themselves (Express, Java servlets, PHP, Rails, Laravel, Django...). */
export const appSessionCookieNames = ['connect.sid', 'jsessionid', 'phpsessid', 'session', '_session_id', 'laravel_session', 'sessionid'] as const;

const cookiePath = (s: TopologyService) => s.sticky?.path ?? '/';

function hostsOf(service: TopologyService): string[] {
  return [...new Set(appRouters(service).flatMap((r) => (r.hosts.length ? r.hosts.map((h) => h.toLowerCase()) : [anyHost])))];
}

export const cookieNameCollision: Rule = {
  id: 'cookie-name-collision',
  severity: 'warning',
  title: 'Sticky cookie name is not unique',
  why: 'A browser keeps one cookie per name, host and path: when another service or the app itself writes a cookie of the same name, it overwrites Traefik’s, and the next request is re-balanced.',
  docs: docs.sticky,
  evaluate(service, _topology, context) {
    const sticky = service.sticky;
    if (!sticky) return [];
    const name = sticky.cookieName;
    const evidence: Evidence[] = [];
    const reasons: string[] = [];
    if (!sticky.generatedName && (appSessionCookieNames as readonly string[]).includes(name.toLowerCase())) {
      reasons.push(`it is named like an application session cookie (${name})`);
      evidence.push(ev('cookie name', `${name} (a common application session cookie name)`));
    }
    const others = new Map<string, string[]>();
    for (const host of hostsOf(service)) {
      for (const { service: other } of context.routersByHost.get(host) ?? []) {
        if (other.id === service.id || other.sticky?.cookieName !== name || cookiePath(other) !== cookiePath(service)) continue;
        others.set(other.name, [...new Set([...(others.get(other.name) ?? []), host])]);
      }
    }
    for (const [other, hosts] of others) {
      reasons.push(`${other} uses the same name on ${hosts.join(', ')}`);
      evidence.push(ev('same cookie name', `${other} on ${hosts.join(', ')}, path ${cookiePath(service)}`));
    }
    if (reasons.length === 0) return [];
    const label = stickyAttributeLabels(service, 'name')[0];
    const unique = `sticky_${service.name.replace(/[^A-Za-z0-9]+/g, '_')}`;
    return [
      makeFinding(cookieNameCollision, service, {
        message: `The sticky cookie ${name} can be overwritten: ${reasons.join('; ')}. Each overwrite sends the user to a new replica.`,
        evidence: [...(label ? [ev(label.key, label.value)] : []), ...evidence],
        fix: labelFix(service, { set: { [label?.key ?? serviceLabel(stickyServiceName(service), 'sticky.cookie.name')]: unique } }),
      }),
    ];
  },
};
