// A cookie jar that stores and sends what Chromium would, and says why for every cookie.
//
// RFC 6265 parsing, domain and path matching and the public-suffix list come from tough-cookie. Storage is ours:
// tough-cookie's CookieJar can only throw one message per rejected cookie and cannot tell which stored cookies it
// left out of a Cookie header, and both are the evidence this product shows. On top of RFC 6265 this applies what
// Chromium enforces (RFC 6265bis): Secure only from and to secure contexts (with the localhost/loopback exception),
// SameSite=None and Partitioned need Secure, __Secure-/__Host- prefixes, "leave secure cookies alone", and keeping
// host-only and Domain cookies of the same name apart (Chromium keys them separately).
//
// Requests are treated as same-site top-level requests from a user on the target, so SameSite=Lax/Strict never
// withhold a cookie here. Per-domain count limits and eviction are not modelled.
import { Cookie, canonicalDomain, defaultPath, domainMatch, getPublicSuffix, pathMatch } from 'tough-cookie';
import type {
  CookieAttributes,
  CookieHeaderResult,
  CookieRejectReason,
  ProbeUrl,
  SetCookieEvent,
  StoredCookie,
  WithheldCookie,
} from './types';
import { isIpAddress, toProbeUrl } from './url';

/** The parts of a URL the jar looks at. A `ProbeUrl` is one. */
export type JarUrl = Pick<ProbeUrl, 'host' | 'path' | 'secureContext'>;

/** Chromium's limit on name plus value, in characters (it counts bytes; the difference only matters past ASCII). */
const MAX_NAME_VALUE = 4096;
/** RFC 6265bis caps expiry at 400 days, as Chromium does. */
const MAX_AGE_MS = 400 * 24 * 3600 * 1000;
/** CTLs other than HTAB reject the whole line (RFC 6265bis 5.6 step 1). */
const DISALLOWED = /[\x00-\x08\x0A-\x1F\x7F]/;
const PARSE_CACHE_LIMIT = 512;

type Parsed =
  | {
      ok: true;
      name: string;
      value: string;
      attributes: CookieAttributes;
      /** Normalised `Domain` (IDN to ASCII), or null. */
      domain: string | null;
      prefixProblem: 'secure-prefix' | 'host-prefix' | null;
      /** Last host this line's Domain attribute was checked against, and the answer. */
      domainMemo: { host: string; result: DomainDecision } | null;
    }
  | { ok: false; reason: CookieRejectReason; name: string; value: string; attributes: CookieAttributes };

type DomainDecision = { hostOnly: boolean; domain: string } | 'domain-mismatch' | 'public-suffix-domain';

export const NO_ATTRIBUTES: CookieAttributes = Object.freeze({
  domain: null,
  path: null,
  secure: false,
  httpOnly: false,
  sameSite: null,
  partitioned: false,
  maxAge: null,
  expires: null,
});

const EMPTY_HEADER: CookieHeaderResult = Object.freeze({
  header: null,
  sent: Object.freeze([]) as readonly string[],
  values: Object.freeze([]) as readonly string[],
  withheld: Object.freeze([]) as readonly WithheldCookie[],
});

function startsWithCI(s: string, prefix: string): boolean {
  return s.length >= prefix.length && s.slice(0, prefix.length).toLowerCase() === prefix.toLowerCase();
}

function parseLine(line: string): Parsed {
  const fail = (reason: CookieRejectReason, name = '', value = ''): Parsed => ({
    ok: false,
    reason,
    name,
    value,
    attributes: NO_ATTRIBUTES,
  });
  if (line.trim() === '') return fail('empty');
  if (DISALLOWED.test(line)) {
    const eq = line.indexOf('=');
    const semi = line.indexOf(';');
    const name = eq > 0 && (semi === -1 || eq < semi) ? line.slice(0, eq).trim() : '';
    return fail('disallowed-character', name.replace(DISALLOWED, '?'));
  }
  // Loose mode, as Chromium: `=v` and `v` are cookies with an empty name.
  const c = Cookie.parse(line, { loose: true });
  if (!c) return fail('unparseable', line.slice(0, 40));
  const name = c.key;
  const value = c.value;
  if (name === '' && value === '') return fail('empty');
  if (name.length + value.length > MAX_NAME_VALUE) return fail('too-large', name.slice(0, 64));

  let expires: number | null = null;
  if (c.expires instanceof Date) expires = c.expires.getTime();
  let maxAge: number | null = null;
  if (typeof c.maxAge === 'number') maxAge = c.maxAge;
  else if (c.maxAge === '-Infinity') maxAge = -1;
  const partitioned = c.extensions?.some((e) => e.trim().toLowerCase() === 'partitioned') ?? false;
  const sameSite = c.sameSite === 'strict' || c.sameSite === 'lax' || c.sameSite === 'none' ? c.sameSite : null;
  const attributes: CookieAttributes = Object.freeze({
    domain: c.domain ?? null,
    path: c.path ?? null,
    secure: c.secure,
    httpOnly: c.httpOnly,
    sameSite,
    partitioned,
    maxAge,
    expires,
  });
  const domain = c.domain ? (canonicalDomain(c.domain) ?? c.domain) : null;

  // RFC 6265bis 5.7 steps 20-21, case-insensitive; a nameless cookie may not smuggle a prefix in its value.
  const prefixed = name === '' ? value : name;
  let prefixProblem: 'secure-prefix' | 'host-prefix' | null = null;
  if (startsWithCI(prefixed, '__Secure-')) {
    if (name === '' || !c.secure) prefixProblem = 'secure-prefix';
  } else if (startsWithCI(prefixed, '__Host-')) {
    if (name === '' || !c.secure || c.domain || c.path !== '/') prefixProblem = 'host-prefix';
  }
  return { ok: true, name, value, attributes, domain, prefixProblem, domainMemo: null };
}

function decideDomain(domainAttr: string, host: string): DomainDecision {
  if (isIpAddress(host) || isIpAddress(domainAttr)) {
    // Chromium: on an IP host, only `Domain=<that IP>` is allowed, and it yields a host-only cookie.
    return domainAttr === host ? { hostOnly: true, domain: host } : 'domain-mismatch';
  }
  const registrable = getPublicSuffix(domainAttr, { allowSpecialUseDomain: true, ignoreError: true });
  if (registrable == null) {
    // A public suffix as Domain is allowed only when it equals the host, and then it is host-only (6265bis 5.7 step 9).
    return domainAttr === host ? { hostOnly: true, domain: host } : 'public-suffix-domain';
  }
  if (!domainMatch(host, domainAttr, false)) return 'domain-mismatch';
  return { hostOnly: false, domain: domainAttr };
}

function keyOf(name: string, hostOnly: boolean, domain: string, path: string): string {
  return `${name}\u0000${hostOnly ? '' : '.'}${domain}\u0000${path}`;
}

function sameState(a: StoredCookie, b: Omit<StoredCookie, 'creation'>): boolean {
  return (
    a.value === b.value &&
    a.secure === b.secure &&
    a.httpOnly === b.httpOnly &&
    a.sameSite === b.sameSite &&
    a.partitioned === b.partitioned
  );
}

function compareForHeader(a: StoredCookie, b: StoredCookie): number {
  // RFC 6265 5.4 step 2: longer paths first, then earlier creation.
  return b.path.length - a.path.length || a.creation - b.creation;
}

export type BrowserJarOptions = {
  /** Epoch ms; injectable for tests. */
  now?: () => number;
  /**
   * `false` keeps nothing: every cookie is parsed and checked, then reported `rejected` with `cookies-disabled`.
   * This is the `cookies: none` mode, where the run shows the balancer's raw distribution.
   */
  store?: boolean;
};

export class BrowserCookieJar {
  private readonly cookies = new Map<string, StoredCookie>();
  private readonly parseCache = new Map<string, Parsed>();
  private readonly now: () => number;
  private readonly keep: boolean;
  private creationSeq = 0;
  private secureCount = 0;
  /** Bumped on every change that can alter a Cookie header. */
  private version = 0;
  private headerCache: { url: JarUrl; version: number; validUntil: number; result: CookieHeaderResult } | null =
    null;
  private readonly urlCache = new Map<string, ProbeUrl>();

  constructor(options: BrowserJarOptions = {}) {
    this.now = options.now ?? Date.now;
    this.keep = options.store ?? true;
  }

  get size(): number {
    return this.cookies.size;
  }

  /** Applies every `Set-Cookie` line of one response, in order. Never throws for bad input. */
  setCookies(url: JarUrl | string, setCookieLines: readonly string[]): SetCookieEvent[] {
    if (setCookieLines.length === 0) return [];
    const target = typeof url === 'string' ? this.toUrl(url) : url;
    const now = this.now();
    const events: SetCookieEvent[] = new Array(setCookieLines.length);
    for (let i = 0; i < setCookieLines.length; i++) {
      events[i] = this.setOne(target, setCookieLines[i] ?? '', now);
    }
    return events;
  }

  /** The Cookie header a browser would send to `url`, with the stored cookies it would leave out and why. */
  cookieHeaderFor(url: JarUrl | string): CookieHeaderResult {
    if (this.cookies.size === 0) return EMPTY_HEADER;
    const target = typeof url === 'string' ? this.toUrl(url) : url;
    const now = this.now();
    const cached = this.headerCache;
    if (cached && cached.url === target && cached.version === this.version && now < cached.validUntil) {
      return cached.result;
    }
    let validUntil = Infinity;
    const sent: StoredCookie[] = [];
    const withheld: WithheldCookie[] = [];
    for (const [key, c] of this.cookies) {
      if (c.expiresAt !== null && c.expiresAt <= now) {
        this.remove(key, c);
        continue;
      }
      if (c.expiresAt !== null && c.expiresAt < validUntil) validUntil = c.expiresAt;
      if (c.hostOnly ? c.domain !== target.host : !domainMatch(target.host, c.domain, false)) {
        withheld.push({ name: c.name, reason: 'domain' });
      } else if (!pathMatch(target.path, c.path)) {
        withheld.push({ name: c.name, reason: 'path' });
      } else if (c.secure && target.secureContext === null) {
        withheld.push({ name: c.name, reason: 'secure-over-http' });
      } else {
        sent.push(c);
      }
    }
    let result: CookieHeaderResult;
    if (sent.length === 0 && withheld.length === 0) {
      result = EMPTY_HEADER;
    } else {
      if (sent.length > 1) sent.sort(compareForHeader);
      const names = sent.map((c) => c.name);
      const values = sent.map((c) => c.value);
      const header = sent.length
        ? sent.map((c) => (c.name === '' ? c.value : `${c.name}=${c.value}`)).join('; ')
        : null;
      result = Object.freeze({
        header,
        sent: Object.freeze(names),
        values: Object.freeze(values),
        withheld: Object.freeze(withheld),
      });
    }
    this.headerCache = { url: target, version: this.version, validUntil, result };
    return result;
  }

  /** A copy of the stored cookies, for a relay to hand back and forth or for a report. */
  toJSON(): StoredCookie[] {
    return [...this.cookies.values()].map((c) => ({ ...c }));
  }

  static fromJSON(stored: readonly StoredCookie[], options: BrowserJarOptions = {}): BrowserCookieJar {
    const jar = new BrowserCookieJar(options);
    for (const c of stored) {
      jar.cookies.set(keyOf(c.name, c.hostOnly, c.domain, c.path), { ...c });
      if (c.secure) jar.secureCount++;
      jar.creationSeq = Math.max(jar.creationSeq, c.creation + 1);
    }
    jar.version++;
    return jar;
  }

  clear(): void {
    this.cookies.clear();
    this.secureCount = 0;
    this.version++;
  }

  private toUrl(href: string): ProbeUrl {
    let u = this.urlCache.get(href);
    if (!u) {
      u = toProbeUrl(href);
      if (this.urlCache.size > 64) this.urlCache.clear();
      this.urlCache.set(href, u);
    }
    return u;
  }

  private parse(line: string): Parsed {
    let p = this.parseCache.get(line);
    if (!p) {
      p = parseLine(line);
      if (this.parseCache.size >= PARSE_CACHE_LIMIT) this.parseCache.clear();
      this.parseCache.set(line, p);
    }
    return p;
  }

  private remove(key: string, c: StoredCookie): void {
    this.cookies.delete(key);
    if (c.secure) this.secureCount--;
    this.version++;
  }

  private setOne(target: JarUrl, line: string, now: number): SetCookieEvent {
    const p = this.parse(line);
    const secureVia = p.ok && p.attributes.secure ? target.secureContext : null;
    const reject = (reason: CookieRejectReason): SetCookieEvent => ({
      name: p.name,
      value: p.value,
      attributes: p.attributes,
      outcome: 'rejected',
      reason,
      secureVia: null,
      previousValue: null,
    });
    if (!p.ok) return reject(p.reason);
    const a = p.attributes;

    // Order chosen so the most telling reason wins when several apply.
    if (a.secure && target.secureContext === null) return reject('secure-over-http');
    if (a.sameSite === 'none' && !a.secure) return reject('samesite-none-insecure');
    if (a.partitioned && !a.secure) return reject('partitioned-insecure');
    if (p.prefixProblem) return reject(p.prefixProblem);

    let hostOnly = true;
    let domain = target.host;
    if (p.domain !== null) {
      let decision: DomainDecision;
      if (p.domainMemo && p.domainMemo.host === target.host) {
        decision = p.domainMemo.result;
      } else {
        decision = decideDomain(p.domain, target.host);
        p.domainMemo = { host: target.host, result: decision };
      }
      if (typeof decision === 'string') return reject(decision);
      hostOnly = decision.hostOnly;
      domain = decision.domain;
    }
    const path = a.path ?? defaultPath(target.path);

    let expiresAt: number | null = null;
    if (a.maxAge !== null) expiresAt = a.maxAge <= 0 ? -Infinity : now + Math.min(a.maxAge * 1000, MAX_AGE_MS);
    else if (a.expires !== null) expiresAt = Math.min(a.expires, now + MAX_AGE_MS);

    if (!this.keep) return reject('cookies-disabled');

    // "Leave secure cookies alone" (RFC 6265bis 5.7 step 16): an insecure origin may not shadow a Secure cookie.
    if (!a.secure && target.secureContext === null && this.secureCount > 0) {
      for (const c of this.cookies.values()) {
        if (
          c.secure &&
          c.name === p.name &&
          (domainMatch(domain, c.domain, false) || domainMatch(c.domain, domain, false)) &&
          pathMatch(path, c.path)
        ) {
          return reject('overwrite-secure');
        }
      }
    }

    const key = keyOf(p.name, hostOnly, domain, path);
    const existing = this.cookies.get(key);
    if (expiresAt !== null && expiresAt <= now) {
      if (existing) this.remove(key, existing);
      return {
        name: p.name,
        value: p.value,
        attributes: a,
        outcome: 'deleted',
        reason: null,
        secureVia,
        previousValue: existing ? existing.value : null,
      };
    }
    const next: StoredCookie = {
      name: p.name,
      value: p.value,
      domain,
      hostOnly,
      path,
      secure: a.secure,
      httpOnly: a.httpOnly,
      sameSite: a.sameSite,
      partitioned: a.partitioned,
      expiresAt,
      // Chromium keeps the old creation time (and so the place in the Cookie header) only when the value is
      // unchanged; a new value goes to the back, as the differential test against Chromium shows.
      creation: existing && existing.value === p.value ? existing.creation : this.creationSeq++,
    };
    if (existing && sameState(existing, next)) {
      // Re-issued unchanged: only the expiry can move; the cached Cookie header stays right until the earliest expiry.
      existing.expiresAt = expiresAt;
      const cache = this.headerCache;
      if (cache && expiresAt !== null && expiresAt < cache.validUntil) cache.validUntil = expiresAt;
      return {
        name: p.name,
        value: p.value,
        attributes: a,
        outcome: 'updated',
        reason: null,
        secureVia,
        previousValue: null,
      };
    }
    if (existing?.secure) this.secureCount--;
    if (next.secure) this.secureCount++;
    this.cookies.set(key, next);
    this.version++;
    return {
      name: p.name,
      value: p.value,
      attributes: a,
      outcome: existing ? 'updated' : 'stored',
      reason: null,
      secureVia,
      previousValue: existing && existing.value !== p.value ? existing.value : null,
    };
  }
}
