// Which replica answered, from one response. Pure: headers, a body prefix and the balancer cookie in, a name out.
import type { IdentitySpec } from './spec';
import type { IdentitySource, TransportResponse } from './types';

/** Maps a balancer cookie value to a server (e.g. a Traefik server URL). Null when it cannot tell. */
export type CookieDecoder = (name: string, value: string) => string | null;

export type Identity = { replica: string | null; source: IdentitySource | null };

export type IdentityInput = {
  response: Pick<TransportResponse, 'headers' | 'bodyPrefix'>;
  /** The balancer cookie, if one is known: the value this response set, else the value the request sent. */
  balancerCookie: { name: string; set: string | null; sent: string | null } | null;
  decode?: CookieDecoder;
};

const AUTO_HEADERS = ['x-replica', 'x-served-by', 'x-backend-server'] as const;
const AUTO_HEADER_SOURCES = AUTO_HEADERS.map((h) => `header:${h}`);
const AUTO_JSON_FIELDS = ['hostname', 'replica', 'instance'] as const;
const AUTO_JSON_SOURCES = AUTO_JSON_FIELDS.map((f) => `json:${f}`);
/** traefik/whoami (and our lab replicas) print `Hostname: <name>` on a line of its own. */
const WHOAMI = /^Hostname:[ \t]*([^\s]+)/m;
/** Matches `"field": "value"` or `"field": 123` without a full JSON parse, so a truncated body still works. */
const jsonFieldPattern = (field: string) => new RegExp(`"${field}"\\s*:\\s*(?:"((?:[^"\\\\]|\\\\.)*)"|(-?\\d+(?:\\.\\d+)?))`);
const AUTO_JSON_PATTERNS = AUTO_JSON_FIELDS.map(jsonFieldPattern);

const NONE: Identity = Object.freeze({ replica: null, source: null });

function clean(v: string | undefined | null): string | null {
  if (v == null) return null;
  const t = v.trim();
  return t.length ? (t.length > 200 ? t.slice(0, 200) : t) : null;
}

function looksLikeJson(body: string): boolean {
  for (let i = 0; i < body.length; i++) {
    const ch = body.charCodeAt(i);
    if (ch === 0x7b /* { */) return true;
    if (ch !== 0x20 && ch !== 0x0a && ch !== 0x0d && ch !== 0x09) return false;
  }
  return false;
}

/** A string or number at a dotted path of a JSON body; a body cut mid-document falls back to matching the last key. */
export function readJsonPath(body: string, path: string): string | null {
  if (!looksLikeJson(body)) return null;
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch {
    // A capped body may be cut mid-document: fall back to the pattern for a top-level-looking field.
    const last = path.split('.').pop() ?? path;
    const m = jsonFieldPattern(last.replace(/[$]/g, '\\$')).exec(body);
    return m ? clean(m[1] ?? m[2]) : null;
  }
  for (const key of path.split('.')) {
    if (value === null || typeof value !== 'object') return null;
    value = (value as Record<string, unknown>)[key];
  }
  return typeof value === 'string' || typeof value === 'number' ? clean(String(value)) : null;
}

function fromCookie(input: IdentityInput, name: string): Identity {
  const b = input.balancerCookie;
  if (!b || b.name !== name) return NONE;
  // A value set on this response names the server that just answered; a value only sent is the balancer's
  // presumed choice (weaker evidence, labelled as such).
  const raw = b.set ?? b.sent;
  if (raw === null) return NONE;
  const decoded = input.decode?.(name, raw) ?? null;
  return { replica: decoded ?? raw, source: `${b.set !== null ? 'cookie' : 'cookie-sent'}:${name}` };
}

/** Compiles an identity spec once per run into a function applied to every response. */
export function compileIdentity(spec: IdentitySpec): (input: IdentityInput) => Identity {
  if (spec === 'auto') {
    return (input) => {
      const { headers, bodyPrefix } = input.response;
      for (let i = 0; i < AUTO_HEADERS.length; i++) {
        const v = clean(headers[AUTO_HEADERS[i]!]);
        if (v !== null) return { replica: v, source: AUTO_HEADER_SOURCES[i]! };
      }
      if (bodyPrefix.length) {
        const m = WHOAMI.exec(bodyPrefix);
        if (m) return { replica: m[1]!, source: 'body:hostname' };
        if (looksLikeJson(bodyPrefix)) {
          for (let i = 0; i < AUTO_JSON_PATTERNS.length; i++) {
            const j = AUTO_JSON_PATTERNS[i]!.exec(bodyPrefix);
            const v = j ? clean(j[1] ?? j[2]) : null;
            if (v !== null) return { replica: v, source: AUTO_JSON_SOURCES[i]! };
          }
        }
      }
      const b = input.balancerCookie;
      return b ? fromCookie(input, b.name) : NONE;
    };
  }
  if ('header' in spec) {
    const name = spec.header.toLowerCase();
    const source = `header:${name}`;
    return (input) => {
      const v = clean(input.response.headers[name]);
      return v === null ? NONE : { replica: v, source };
    };
  }
  if ('bodyRegex' in spec) {
    const re = new RegExp(spec.bodyRegex, 'm');
    return (input) => {
      const m = re.exec(input.response.bodyPrefix);
      const v = m ? clean(m[1] ?? m[0]) : null;
      return v === null ? NONE : { replica: v, source: 'body:regex' };
    };
  }
  if ('jsonField' in spec) {
    const path = spec.jsonField;
    const source = `json:${path}`;
    return (input) => {
      const v = readJsonPath(input.response.bodyPrefix, path);
      return v === null ? NONE : { replica: v, source };
    };
  }
  const name = spec.cookie;
  return (input) => fromCookie(input, name);
}

/** Whether identity needs the body at all; transports may skip reading it when not. */
export function identityReadsBody(spec: IdentitySpec): boolean {
  return spec === 'auto' || 'bodyRegex' in spec || 'jsonField' in spec;
}

/** Sticky cookie names of common balancers: HAProxy examples, Caddy's default, AWS ALB, GCLB, ingress-nginx. */
const KNOWN_BALANCER_COOKIES = new Set(
  ['SRV', 'SERVERID', 'SERVER', 'ROUTEID', 'BALANCEID', 'lb', 'route', 'sticky', 'AWSALB', 'AWSALBCORS', 'GCLB', 'INGRESSCOOKIE', 'JSESSIONROUTE'].map(
    (n) => n.toLowerCase(),
  ),
);
/** Traefik's generated name when none is configured: `_` and five hex digits of SHA-1 (see `defaultCookieName`). */
const TRAEFIK_DEFAULT_NAME = /^_[0-9a-f]{5}$/;

export function isLikelyBalancerCookie(name: string): boolean {
  return KNOWN_BALANCER_COOKIES.has(name.toLowerCase()) || TRAEFIK_DEFAULT_NAME.test(name);
}
