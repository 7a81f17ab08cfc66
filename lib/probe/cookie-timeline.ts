// What every cookie did over a run, kept incrementally from the records (O(cookies on the record) each).
//
// Re-pinning is judged by what the run itself learned: when the balancer sets value v on a response that replica R
// answered, v means R; a later request that sends v and is answered by another replica was re-pinned. A decoder
// (e.g. Traefik's cookie to server URL) only names the server in messages, since server URLs and replica names
// (hostnames) are different vocabularies.
import type { CookieDecoder } from './identity';
import type { CookieStory, CookieSummary, CookieTimelineEvent, ProbeRecord } from './types';

type TimelineRecord = Pick<
  ProbeRecord,
  'index' | 'startedAt' | 'replica' | 'identitySource' | 'setCookies' | 'cookieSent' | 'withheld' | 'balancer'
>;

/** Default cap on the chronological event list. */
export const COOKIE_TIMELINE_MAX_EVENTS = 1000;
/**
 * Distinct cookie names a run tells the story of; a later name still shows in the event list but gets no story.
 * Chromium keeps at most 180 cookies per domain, so a target setting more names is not one a browser could follow.
 */
export const COOKIE_TIMELINE_MAX_STORIES = 1000;

export type CookieTimelineOptions = {
  /** Cap on the chronological event list; counts in each story stay exact. */
  maxEvents?: number;
  decode?: CookieDecoder;
};

function newStory(name: string): CookieStory {
  return {
    name,
    isBalancer: false,
    attributes: null,
    firstSetAt: null,
    setCount: 0,
    storedCount: 0,
    sentCount: 0,
    firstSentAt: null,
    changes: 0,
    firstChangeAt: null,
    deletes: 0,
    rejected: {},
    firstRejectedAt: null,
    withheld: {},
    secureViaLoopback: 0,
    repins: 0,
    firstRepin: null,
  };
}

export class CookieTimeline {
  private readonly stories = new Map<string, CookieStory>();
  private readonly events: CookieTimelineEvent[] = [];
  private dropped = 0;
  private readonly maxEvents: number;
  private readonly decode: CookieDecoder | undefined;
  private balancerName: string | null = null;
  /** Balancer cookie value → replica that answered when the balancer set it. */
  private readonly learned = new Map<string, string>();

  constructor(options: CookieTimelineOptions = {}) {
    this.maxEvents = options.maxEvents ?? COOKIE_TIMELINE_MAX_EVENTS;
    this.decode = options.decode;
  }

  add(r: TimelineRecord): void {
    if (r.balancer && this.balancerName !== r.balancer.name) {
      this.balancerName = r.balancer.name;
      this.story(r.balancer.name).isBalancer = true;
    }
    for (const e of r.setCookies) {
      const s = this.story(e.name);
      s.setCount++;
      s.attributes = e.attributes;
      if (s.firstSetAt === null) {
        s.firstSetAt = r.index;
        this.push(r, e.name, 'set', e.outcome === 'rejected' ? null : formatCookieAttributes(e.attributes));
      }
      switch (e.outcome) {
        case 'stored':
        case 'updated':
          s.storedCount++;
          if (e.secureVia === 'loopback') s.secureViaLoopback++;
          if (e.previousValue !== null) {
            s.changes++;
            if (s.firstChangeAt === null) s.firstChangeAt = r.index;
            this.push(r, e.name, 'changed', `${short(e.previousValue)} → ${short(e.value)}`);
          }
          break;
        case 'deleted':
          s.deletes++;
          this.push(r, e.name, 'deleted', e.previousValue === null ? 'nothing stored' : null);
          break;
        case 'rejected': {
          const reason = e.reason ?? 'unparseable';
          const before = s.rejected[reason] ?? 0;
          s.rejected[reason] = before + 1;
          if (s.firstRejectedAt === null) s.firstRejectedAt = r.index;
          if (before === 0) this.push(r, e.name, 'rejected', reason);
          break;
        }
      }
    }
    if (r.cookieSent.length) {
      for (const name of r.cookieSent) {
        const s = this.story(name);
        s.sentCount++;
        if (s.firstSentAt === null) {
          s.firstSentAt = r.index;
          this.push(r, name, 'first-sent', null);
        }
      }
    }
    if (r.withheld.length) {
      for (const w of r.withheld) {
        const s = this.story(w.name);
        const before = s.withheld[w.reason] ?? 0;
        s.withheld[w.reason] = before + 1;
        if (before === 0) this.push(r, w.name, 'withheld', w.reason);
      }
    }
    this.trackBalancer(r);
  }

  summary(): CookieSummary {
    return {
      balancerCookie: this.balancerName,
      cookies: [...this.stories.values()].map((s) => ({ ...s, rejected: { ...s.rejected }, withheld: { ...s.withheld } })),
      events: [...this.events],
      droppedEvents: this.dropped,
    };
  }

  /** The server a balancer cookie value names, for messages: decoded if possible, else the replica it was seen with. */
  describeValue(value: string): string {
    const name = this.balancerName;
    const decoded = name ? this.decode?.(name, value) : null;
    return decoded ?? this.learned.get(value) ?? value;
  }

  private trackBalancer(r: TimelineRecord): void {
    const b = r.balancer;
    // Identities read from the balancer cookie itself would make this circular.
    if (!b || r.replica === null || r.identitySource === null || r.identitySource.startsWith('cookie')) return;
    if (b.sent !== null) {
      const pinned = this.learned.get(b.sent);
      if (pinned !== undefined && pinned !== r.replica) this.repin(r, b.name, pinned, r.replica);
    }
    if (b.set !== null && !this.learned.has(b.set)) this.learned.set(b.set, r.replica);
  }

  private repin(r: TimelineRecord, name: string, from: string, to: string): void {
    const s = this.story(name);
    s.repins++;
    if (!s.firstRepin) s.firstRepin = { index: r.index, cookieReplica: from, answeredBy: to };
    this.push(r, name, 'repinned', `${from} → ${to}`);
  }

  private story(name: string): CookieStory {
    let s = this.stories.get(name);
    if (!s) {
      s = newStory(name);
      // Past the cap a new name gets a story that is counted into but never listed.
      if (this.stories.size < COOKIE_TIMELINE_MAX_STORIES) this.stories.set(name, s);
    }
    return s;
  }

  private push(r: TimelineRecord, name: string, kind: CookieTimelineEvent['kind'], detail: string | null): void {
    if (this.events.length >= this.maxEvents) {
      this.dropped++;
      return;
    }
    this.events.push({ index: r.index, atMs: r.startedAt, name, kind, detail });
  }
}

function short(v: string): string {
  return v.length > 24 ? `${v.slice(0, 21)}...` : v;
}

/** `Domain=x; Path=/; Secure; …`, or null when the cookie carried no attributes. */
export function formatCookieAttributes(a: CookieStory['attributes']): string | null {
  if (!a) return null;
  const parts: string[] = [];
  if (a.domain) parts.push(`Domain=${a.domain}`);
  if (a.path) parts.push(`Path=${a.path}`);
  if (a.secure) parts.push('Secure');
  if (a.httpOnly) parts.push('HttpOnly');
  if (a.sameSite) parts.push(`SameSite=${a.sameSite}`);
  if (a.partitioned) parts.push('Partitioned');
  if (a.maxAge !== null) parts.push(`Max-Age=${a.maxAge}`);
  else if (a.expires !== null) parts.push(`Expires=${new Date(a.expires).toISOString()}`);
  return parts.length ? parts.join('; ') : null;
}
