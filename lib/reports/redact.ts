// Redaction of a report for sharing. Pure: the same report and key give the same output, no I/O.
//
// Cookie values become keyed pseudonyms (HMAC-SHA256 under a per-report key), so "the cookie changed at request 41"
// stays visible while the value does not; a Traefik sticky value is a hash of an internal server URL and is treated
// like any other cookie value. Non-public addresses get keyed pseudonyms too, so two replicas on 10.0.1.5 and 10.0.1.6
// stay two replicas. Credential headers (`isCredentialName`) are dropped and credentials in URLs blanked. Every secret
// goes into one table of replacements, applied wherever it occurs: in known fields, in object keys (verdict counts
// are keyed by replica) and as tokens inside messages.
import { createHmac } from 'node:crypto';
import { addressScope, isNonPublicIp } from '@/lib/net/address';
import { replaceAddresses } from '@/lib/net/address-text';
import { isCredentialName, replaceUrlCredentials, urlCredentialValues } from '@/lib/net/credentials';
import type { ProbeRecord } from '@/lib/probe/types';
import type { Report } from './schema';

export type RedactOptions = {
  /** The report's redaction key (see `newRedactionKey`). */
  key: Uint8Array;
  /** Overrides the report's own `stripQuery` setting. */
  stripQuery?: boolean;
};

export const REDACTED = '[redacted]';

/** Shorter credential values are blanked where they stand but not hunted as words elsewhere, where `1` or `on` is common. */
const MIN_LOOSE_SECRET = 4;

/** Keyed pseudonym of a cookie value: the same value gives the same pseudonym within one report. */
export function cookiePseudonym(key: Uint8Array, value: string): string {
  return `~${createHmac('sha256', key).update('cookie\0').update(value).digest('hex').slice(0, 12)}`;
}

function ipPseudonym(key: Uint8Array, ip: string): string {
  return `private-ip-${createHmac('sha256', key).update('ip\0').update(ip).digest('hex').slice(0, 6)}`;
}

/**
 * Replaces every non-public address in free text (RFC 1918, loopback, link-local, CGNAT, ULA, unspecified, and their
 * IPv4-mapped and other spellings) with a keyed pseudonym of its canonical form; a bracketed IPv6 address in a URL
 * becomes a plain host name.
 */
export function maskNonPublicIps(text: string, key: Uint8Array): string {
  return replaceAddresses(text, (ip) => (addressScope(ip) === 'public' ? null : ipPseudonym(key, ip.toString())));
}

// Cookie values are cookie-octets (no whitespace, comma, semicolon, quote or backslash), so inside messages they
// stand between these separators; `→` joins old and new values in cookie timeline notes.
const TOKEN = /[^\s,;"'\\()[\]{}<>→]+/g;

/** `Bearer <token>`, `Basic <credentials>`, `k1=v1, k2="v2"`: the credential may be quoted on its own elsewhere. */
function credentialParts(value: string): string[] {
  const words = value.trim().split(/[\s,;]+/).filter(Boolean);
  if (words.length > 1 && /^[A-Za-z-]+$/.test(words[0] ?? '')) words.shift();
  const parts = [value, value.trim(), ...words];
  for (const word of words) {
    const eq = word.indexOf('=');
    if (eq !== -1) parts.push(word.slice(eq + 1).replace(/^"|"$/g, ''));
  }
  return parts;
}

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

  const addSecret = (value: string) => {
    if (value.length >= MIN_LOOSE_SECRET && !replacements.has(value)) replacements.set(value, REDACTED);
  };
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(report.spec.headers)) {
    if (isCredentialName(name)) credentialParts(value).forEach(addSecret);
    else headers[name] = value;
  }
  // One scan of the whole report as JSON: query values and passwords stop at a quote, so none spans two strings.
  urlCredentialValues(JSON.stringify(report)).forEach(addSecret);

  const resolve = report.spec.resolve.filter((r) => !isNonPublicIp(r.address) && !isNonPublicIp(r.host));
  let target = report.spec.target;
  let queries: string[] = [];
  if (stripQuery) {
    const url = new URL(target);
    // Also as it reads once its credentials are blanked, which happens first.
    if (url.search) queries = [url.search, replaceUrlCredentials(url.search, (value) => replacements.get(value) ?? REDACTED)];
    url.search = '';
    target = url.href;
  }

  const maskIps = memoize((text: string) => maskNonPublicIps(text, key));
  const redactString = memoize((text: string): string => {
    let out = replacements.get(text);
    if (out === undefined) {
      out = replaceUrlCredentials(text, (value) => replacements.get(value) ?? REDACTED);
      out = out.replace(TOKEN, (token) => replaceToken(token, replacements));
    }
    for (const query of queries) out = out.split(query).join('');
    return maskIps(out);
  });

  const spec = { ...report.spec, target, headers, resolve };
  const redacted = redactDeep({ ...report, spec }, redactString, maskIps);
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

/** A long run repeats the same replica names, sources and messages in every record: each is redacted once. */
function memoize(f: (text: string) => string): (text: string) => string {
  const done = new Map<string, string>();
  return (text) => {
    let out = done.get(text);
    if (out === undefined) done.set(text, (out = f(text)));
    return out;
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
  // A secret as one segment of a path: a Shiny session route, `session/<id>/dataobj/table?w=`.
  const path = token.includes('/') ? token.split('/').map((segment) => replacements.get(segment) ?? segment).join('/') : token;
  // A secret as one parameter of a query string: `?sid=<value>&t=1`.
  if (!/[?&]/.test(path)) return path;
  return path.replace(/([?&][^?&=#]*=)([^&#]*)/g, (pair, head: string, value: string) => {
    const replacement = replacements.get(value);
    return replacement === undefined ? pair : `${head}${replacement}`;
  });
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
