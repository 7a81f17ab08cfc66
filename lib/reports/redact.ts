// Redaction of a report for sharing. Pure: the same report and key give the same output, no I/O.
//
// Cookie values become keyed pseudonyms (HMAC-SHA256 under a per-report key), so "the cookie changed at request 41"
// stays visible while the value does not; a Traefik sticky value is a hash of an internal server URL and is treated
// like any other cookie value. Private addresses get keyed pseudonyms too, so two replicas on 10.0.1.5 and 10.0.1.6
// stay two replicas. Secrets are replaced wherever they occur: in known fields, in object keys (verdict counts are
// keyed by replica) and as tokens inside messages.
import { createHmac } from 'node:crypto';
import type { ProbeRecord } from '@/lib/probe/types';
import type { Report } from './schema';

export type RedactOptions = {
  /** The report's redaction key (see `newRedactionKey`). */
  key: Uint8Array;
  /** Overrides the report's own `stripQuery` setting. */
  stripQuery?: boolean;
};

const DROPPED_HEADERS = new Set(['authorization', 'cookie', 'proxy-authorization']);
export const REDACTED = '[redacted]';

/** Keyed pseudonym of a cookie value: the same value gives the same pseudonym within one report. */
export function cookiePseudonym(key: Uint8Array, value: string): string {
  return `~${createHmac('sha256', key).update('cookie\0').update(value).digest('hex').slice(0, 12)}`;
}

function ipPseudonym(key: Uint8Array, ip: string): string {
  return `private-ip-${createHmac('sha256', key).update('ip\0').update(ip.toLowerCase()).digest('hex').slice(0, 6)}`;
}

const OCTET = '(?:25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)';
const PRIVATE_V4 = `(?:10\\.${OCTET}|127\\.${OCTET}|192\\.168|172\\.(?:1[6-9]|2\\d|3[01]))\\.${OCTET}\\.${OCTET}`;
// fc00::/7 (fcxx, fdxx) and fe80::/10 (fe8x–febx); at least one more group so words like "fdab" alone do not match.
const PRIVATE_V6 = '(?:f[cd][0-9a-f]{2}|fe[89ab][0-9a-f])(?::[0-9a-f]{0,4}){1,7}(?:%[0-9a-z]+)?';
const PRIVATE_IP = new RegExp(
  `\\[(${PRIVATE_V6})\\]|(?<![0-9a-z:.])(${PRIVATE_V6})(?![0-9a-z:])|(?<![\\d.])(${PRIVATE_V4})(?![\\d]|\\.\\d)`,
  'gi',
);

export function isPrivateIp(address: string): boolean {
  const a = address.replace(/^\[|\]$/g, '');
  PRIVATE_IP.lastIndex = 0;
  const m = PRIVATE_IP.exec(a);
  PRIVATE_IP.lastIndex = 0;
  return m !== null && m.index === 0 && m[0].length === a.length;
}

/** Replaces private IPv4/IPv6 addresses in free text; a bracketed IPv6 in a URL becomes a plain host name. */
export function maskPrivateIps(text: string, key: Uint8Array): string {
  return text.replace(PRIVATE_IP, (_m, v6Bracketed?: string, v6?: string, v4?: string) =>
    ipPseudonym(key, v6Bracketed ?? v6 ?? v4 ?? ''),
  );
}

// Cookie values are cookie-octets (no whitespace, comma, semicolon, quote or backslash), so inside messages they
// stand between these separators; `→` joins old and new values in cookie timeline notes.
const TOKEN = /[^\s,;"'\\()[\]{}<>→]+/g;

function recordSecrets(record: ProbeRecord, add: (value: string | null | undefined) => void): void {
  for (const c of record.setCookies) {
    add(c.value);
    add(c.previousValue);
  }
  if (record.balancer) {
    add(record.balancer.sent);
    add(record.balancer.set);
  }
  // With cookie identity the replica name is the cookie value itself.
  if (record.identitySource?.startsWith('cookie:')) add(record.replica);
  // An engine.io sid or a session-scoped URL lets whoever holds it act in that session while it lives.
  add(record.protocol?.session);
}

/** The copy a share link shows: redacted unless the author opted out for this report. */
export function toSharedReport(report: Report, options: RedactOptions): Report {
  if (!report.redaction.onShare) return { ...report, redaction: { ...report.redaction, applied: null } };
  return redactReport(report, options);
}

export function redactReport(report: Report, options: RedactOptions): Report {
  const { key } = options;
  const stripQuery = options.stripQuery ?? report.redaction.stripQuery;
  const replacements = new Map<string, string>();

  const addCookie = (value: string | null | undefined) => {
    if (value && !replacements.has(value)) replacements.set(value, cookiePseudonym(key, value));
  };
  for (const record of report.records) recordSecrets(record, addCookie);
  for (const story of report.outcome?.cookies.cookies ?? []) addCookie(story.firstRepin?.cookieReplica);

  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(report.spec.headers)) {
    if (!DROPPED_HEADERS.has(name.toLowerCase())) {
      headers[name] = value;
      continue;
    }
    replacements.set(value, REDACTED);
    // `Bearer <token>`, `Basic <credentials>`: the credential may be quoted on its own elsewhere.
    for (const part of value.split(/\s+/)) if (part.length >= 8) replacements.set(part, REDACTED);
  }

  const resolve = report.spec.resolve.filter((r) => !isPrivateIp(r.address) && !isPrivateIp(r.host));
  let target = report.spec.target;
  let query: string | null = null;
  if (stripQuery) {
    const url = new URL(target);
    query = url.search || null;
    url.search = '';
    target = url.href;
  }

  const redactString = (text: string): string => {
    let out = replacements.get(text) ?? text.replace(TOKEN, (token) => replaceToken(token, replacements));
    if (query) out = out.split(query).join('');
    return maskPrivateIps(out, key);
  };

  const spec = { ...report.spec, target, headers, resolve };
  const redacted = redactDeep({ ...report, spec }, redactString, (text) => maskPrivateIps(text, key));
  return {
    ...redacted,
    id: report.id,
    redaction: {
      onShare: report.redaction.onShare,
      stripQuery,
      applied: {
        cookieValues: true,
        privateIps: true,
        authHeaders: true,
        queryStrings: stripQuery,
        droppedResolve: report.spec.resolve.length - resolve.length,
      },
    },
  };
}

function replaceToken(token: string, replacements: Map<string, string>): string {
  const whole = replacements.get(token);
  if (whole !== undefined) return whole;
  // `name=value`: cookie values may themselves contain `=`, so try each split point.
  for (let i = token.indexOf('='); i !== -1; i = token.indexOf('=', i + 1)) {
    const tail = replacements.get(token.slice(i + 1));
    if (tail !== undefined) return `${token.slice(0, i + 1)}${tail}`;
  }
  return token;
}

// Fields holding a fixed vocabulary or a name: a cookie whose value happens to be `lax` or `complete` must not rewrite
// them. Only private addresses are masked there.
const VERBATIM_KEYS = new Set([
  'schemaVersion', 'status', 'outcome', 'reason', 'secureVia', 'code', 'severity', 'kind', 'ended', 'expect', 'rule',
  'sameSite', 'method', 'cookies', 'identity', 'endpointMode', 'state', 'desiredState', 'name', 'balancerCookie',
  'cookie',
]);

function redactDeep<T>(value: T, redactString: (text: string) => string, maskIps: (text: string) => string): T {
  const walk = (v: unknown, key: string | null): unknown => {
    if (typeof v === 'string') return key !== null && VERBATIM_KEYS.has(key) ? maskIps(v) : redactString(v);
    if (Array.isArray(v)) return v.map((item) => walk(item, null));
    if (v !== null && typeof v === 'object') {
      const out: Record<string, unknown> = {};
      for (const [k, inner] of Object.entries(v)) out[redactString(k)] = walk(inner, k);
      return out;
    }
    return v;
  };
  return walk(value, null) as T;
}
