// The lab balancer's choice of server, the way Traefik v3.3.4+ makes it. Pure: no sockets, no clock.
import { hostKey } from '@/lib/net/host-key';
import { isHttpToken } from '@/lib/net/http-bytes';
import { decodeStickyCookie, encodeStickyCookie, stickyCookieName } from '@/lib/traefik/cookie';
import type { StickyCookie } from '@/lib/traefik/types';

export type LabServer = { url: string; weight: number; alive: boolean };

/**
 * Smooth weighted round robin over the live servers. Traefik's WRR is an earliest-deadline scheduler; for
 * equal weights both give plain round robin, and for unequal ones the same long-run shares.
 */
export class WeightedRoundRobin {
  private current = new Map<string, number>();

  next(servers: readonly LabServer[]): LabServer | null {
    const live = servers.filter((s) => s.alive && s.weight > 0);
    if (live.length === 0) return null;
    let total = 0;
    let best: LabServer | null = null;
    let bestScore = -Infinity;
    for (const s of live) {
      const score = (this.current.get(s.url) ?? 0) + s.weight;
      this.current.set(s.url, score);
      total += s.weight;
      if (score > bestScore) {
        best = s;
        bestScore = score;
      }
    }
    this.current.set(best!.url, bestScore - total);
    return best;
  }
}

/** The value of one cookie in a `Cookie` request header, or null. */
export function readCookie(header: string | undefined, name: string): string | null {
  if (!header) return null;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq === -1) continue;
    if (part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return null;
}

const SAME_SITE: Record<string, string> = { none: 'None', lax: 'Lax', strict: 'Strict' };

/**
 * The `Set-Cookie` value Traefik writes: Go's `http.Cookie` with the service's sticky options, including what Go does
 * with labels it cannot write: an invalid name means no cookie at all, path bytes outside 0x20–0x7E (and `;`) are
 * dropped, and a domain that is no host name is left out. Null when no cookie is written.
 */
export function serializeStickyCookie(name: string, value: string, sticky: StickyCookie): string | null {
  if (!isHttpToken(name)) return null;
  const path = (sticky.path ?? '/').replace(/[^\x20-\x7e]|;/g, '');
  const parts = [`${name}=${value}`, `Path=${path}`];
  const domain = sticky.domain?.replace(/^\./, '');
  if (domain && hostKey(domain) !== null) parts.push(`Domain=${domain}`);
  // Go writes Max-Age only when set; a negative MaxAge means "delete now" (Max-Age=0).
  if (sticky.maxAge !== null && sticky.maxAge > 0) parts.push(`Max-Age=${sticky.maxAge}`);
  else if (sticky.maxAge !== null && sticky.maxAge < 0) parts.push('Max-Age=0');
  if (sticky.httpOnly) parts.push('HttpOnly');
  if (sticky.secure) parts.push('Secure');
  // Traefik maps only none/lax/strict; anything else leaves the attribute out.
  const sameSite = sticky.sameSite ? SAME_SITE[sticky.sameSite.toLowerCase()] : undefined;
  if (sameSite) parts.push(`SameSite=${sameSite}`);
  return parts.join('; ');
}

export type LabBackend = {
  /** Qualified Traefik service name, e.g. `sticky-ok@lab`; the default cookie name derives from it. */
  name: string;
  sticky: StickyCookie | null;
  servers: LabServer[];
};

export type Pick = { server: LabServer; setCookie: string | null };

/**
 * Which server answers a request with this `Cookie` header. A cookie naming a live server pins the request and
 * nothing is set; no cookie, an unknown value or a dead server means a new pick and a new cookie.
 */
export function pickServer(backend: LabBackend, cookieHeader: string | undefined, wrr: WeightedRoundRobin): Pick | null {
  if (backend.sticky) {
    const name = stickyCookieName(backend.sticky.name, backend.name);
    const value = readCookie(cookieHeader, name);
    if (value !== null) {
      const live = backend.servers.filter((s) => s.alive);
      const hit = decodeStickyCookie(value, live.map((s) => s.url));
      const server = hit && live.find((s) => s.url === hit.url);
      // Traefik v3.3.4+ accepts the older value formats and rewrites them in its own.
      if (server) return { server, setCookie: hit.scheme === 'sha256-16' ? null : cookieFor(backend, name, server) };
    }
    const server = wrr.next(backend.servers);
    return server ? { server, setCookie: cookieFor(backend, name, server) } : null;
  }
  const server = wrr.next(backend.servers);
  return server ? { server, setCookie: null } : null;
}

function cookieFor(backend: LabBackend, name: string, server: LabServer): string | null {
  return serializeStickyCookie(name, encodeStickyCookie(server.url, 'sha256-16'), backend.sticky!);
}
