// Traefik's sticky cookie: the name it generates, and the value formats its versions have written.
import { fnv1_64, fnv1a64, hexPadded64, hexUnpadded, sha1Hex, sha256Hex } from './digest';

/**
 * How a cookie value names its server (or, for weighted services, its child service):
 * - `raw-url`: the URL itself (v1, v2.0–2.4; weighted children by name in all of v2).
 * - `fnv1a64`: FNV-1a-64 of the URL, unpadded hex (v2.5–2.11 load balancers).
 * - `fnv1-of-fnv1a`: FNV-1-64, unpadded hex, of the 16-digit FNV-1a-64 hex of the URL (v3.0–3.3.3 load balancers,
 *   whose servers were named by that inner hash).
 * - `fnv1-64`: FNV-1-64 of the name, unpadded hex (v3.0–3.3.3 weighted children).
 * - `sha256-16`: first 16 hex digits of SHA-256 of the URL or child name (v3.3.4+).
 */
export const stickyCookieSchemes = ['raw-url', 'fnv1a64', 'fnv1-of-fnv1a', 'fnv1-64', 'sha256-16'] as const;

export type StickyCookieScheme = (typeof stickyCookieSchemes)[number];

const COOKIE_NAME_LENGTH = 6;

/**
 * The cookie name Traefik uses when `sticky.cookie.name` is empty: `_` plus SHA-1 hex of
 * `_TRAEFIK_BACKEND_<service>`, cut to six characters. Pass the qualified service name (`web@swarm`):
 * Traefik qualifies the name before generating it.
 */
export function defaultCookieName(serviceName: string): string {
  return `_${sha1Hex(`_TRAEFIK_BACKEND_${serviceName}`)}`.slice(0, COOKIE_NAME_LENGTH);
}

const TOKEN_PUNCTUATION = new Set(['!', '#', '$', '%', '&', "'", '*', '+', '-', '.', '^', '`', '|', '~']);

/** Traefik replaces characters outside the RFC 2616 token set in a configured name with `_`. */
export function sanitizeCookieName(name: string): string {
  return Array.from(name, (char) => (/^[A-Za-z0-9]$/.test(char) || TOKEN_PUNCTUATION.has(char) ? char : '_')).join('');
}

/** The name browsers will actually see for a service's sticky cookie. */
export function stickyCookieName(configured: string | null, serviceName: string): string {
  return configured ? sanitizeCookieName(configured) : defaultCookieName(serviceName);
}

export function encodeStickyCookie(url: string, scheme: StickyCookieScheme): string {
  switch (scheme) {
    case 'raw-url':
      return url;
    case 'fnv1a64':
      return hexUnpadded(fnv1a64(url));
    case 'fnv1-of-fnv1a':
      return hexUnpadded(fnv1_64(hexPadded64(fnv1a64(url))));
    case 'fnv1-64':
      return hexUnpadded(fnv1_64(url));
    case 'sha256-16':
      return sha256Hex(url).slice(0, 16);
  }
}

/** Hex values compared as numbers, so a zero-padded or upper-case value still matches. */
function hexValue(text: string): bigint | null {
  return /^[0-9a-fA-F]{1,16}$/.test(text) ? BigInt(`0x${text}`) : null;
}

function sameUrl(a: string, b: string): boolean {
  return a === b || a.replace(/\/$/, '') === b.replace(/\/$/, '');
}

/**
 * Which candidate (server URL, or child service name for a weighted service) a cookie value points at, and the
 * scheme that produced it; null when none matches.
 */
export function decodeStickyCookie(
  value: string,
  candidateUrls: string[],
): { url: string; scheme: StickyCookieScheme } | null {
  const trimmed = value.trim().replace(/^"(.*)"$/, '$1');
  const lower = trimmed.toLowerCase();
  for (const url of candidateUrls) {
    if (lower === encodeStickyCookie(url, 'sha256-16')) return { url, scheme: 'sha256-16' };
  }
  const numeric = hexValue(trimmed);
  if (numeric !== null) {
    for (const url of candidateUrls) {
      const inner = fnv1a64(url);
      if (numeric === fnv1_64(hexPadded64(inner)) || numeric === fnv1_64(hexUnpadded(inner))) {
        return { url, scheme: 'fnv1-of-fnv1a' };
      }
      if (numeric === inner) return { url, scheme: 'fnv1a64' };
      if (numeric === fnv1_64(url)) return { url, scheme: 'fnv1-64' };
    }
  }
  for (const url of candidateUrls) {
    if (sameUrl(trimmed, url)) return { url, scheme: 'raw-url' };
  }
  return null;
}

function parseVersion(version: string): [number, number, number] | null {
  const match = /^v?(\d+)\.(\d+)(?:\.(\d+))?/.exec(version.trim());
  if (!match) return null;
  return [Number(match[1]), Number(match[2]), Number(match[3] ?? 0)];
}

function atLeast(v: [number, number, number], major: number, minor: number, patch: number): boolean {
  if (v[0] !== major) return v[0] > major;
  if (v[1] !== minor) return v[1] > minor;
  return v[2] >= patch;
}

/**
 * The scheme a Traefik version writes for a service kind, or null when the version is unreadable.
 * Every version since v3.3.4 still accepts the older values and rewrites them on the next response.
 */
export function stickyCookieSchemeFor(version: string, kind: 'loadbalancer' | 'weighted'): StickyCookieScheme | null {
  const v = parseVersion(version);
  if (!v) return null;
  if (atLeast(v, 3, 3, 4)) return 'sha256-16';
  if (atLeast(v, 3, 0, 0)) return kind === 'weighted' ? 'fnv1-64' : 'fnv1-of-fnv1a';
  if (kind === 'weighted') return 'raw-url';
  return atLeast(v, 2, 5, 0) ? 'fnv1a64' : 'raw-url';
}
