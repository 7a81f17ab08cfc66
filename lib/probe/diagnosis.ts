// Why a run came out the way it did, tied to the evidence. Pure: verdict and cookie summary in, findings out.
import { isLikelyAppSessionCookie } from './protocols/app-session';
import { diagnoseProtocol } from './protocols/diagnosis';
import { describePass } from './verdict';
import type {
  CookieRejectReason,
  CookieStory,
  CookieSummary,
  CookieWithholdReason,
  Diagnosis,
  ProbeErrorCode,
  ProbeUrl,
  ProtocolSummary,
  StickyVerdict,
} from './types';

export type DiagnosisInput = {
  target: Pick<ProbeUrl, 'protocol' | 'host' | 'secureContext'>;
  cookies: 'browser' | 'none';
  concurrency: number;
  verdict: StickyVerdict;
  cookieSummary: CookieSummary;
  /** How often each identity source answered, e.g. `{ 'body:hostname': 99, 'cookie-sent:SRV': 1 }`. */
  identitySources: Record<string, number>;
  /** The protocol's own evidence (engine.io, session routes, the app's session cookie). */
  protocol?: ProtocolSummary;
  /**
   * False when the browser kept the cookies out of sight (direct mode): there is no cookie evidence, so no finding
   * may rest on its absence. Default true.
   */
  cookiesVisible?: boolean;
};

const REJECT_TEXT = {
  unparseable: 'could not be parsed',
  empty: 'has neither a name nor a value',
  'disallowed-character': 'contains a control character, so the whole line is ignored',
  'too-large': 'is longer than 4096 characters (name plus value)',
  'secure-over-http': 'was set with `Secure` on an http target',
  'samesite-none-insecure': 'was set with `SameSite=None` but without `Secure`, which Chromium rejects',
  'partitioned-insecure': 'was set with `Partitioned` but without `Secure`, which Chromium rejects',
  'secure-prefix': 'uses the `__Secure-` prefix without `Secure`',
  'host-prefix': 'uses the `__Host-` prefix without `Secure`, with a `Domain`, or without `Path=/`',
  'domain-mismatch': "has a `Domain` that does not cover the target's hostname",
  'public-suffix-domain': 'has a public suffix as its `Domain`',
  'overwrite-secure': 'would shadow a `Secure` cookie of the same name from an insecure page, which Chromium refuses',
  'cookies-disabled': 'was not kept because cookies are off for this run',
} satisfies Record<CookieRejectReason, string>;

const WITHHOLD_TEXT = {
  path: "its `Path` does not cover the target's path",
  domain: "its domain does not match the target's hostname",
  'secure-over-http': 'it is `Secure` and the target is plain http',
} satisfies Record<CookieWithholdReason, string>;

const SEVERITY_ORDER = { error: 0, warning: 1, info: 2 } as const;

function cookieLabel(name: string): string {
  return name === '' ? 'a nameless cookie' : `cookie \`${name}\``;
}

function breakNote(v: StickyVerdict): string {
  return v.firstBreakAt !== null ? ` (first break at request ${v.firstBreakAt})` : '';
}

function errorSummary(v: StickyVerdict): string {
  const parts: string[] = [];
  for (const [status, n] of Object.entries(v.errors.byStatus)) parts.push(`${n}× HTTP ${status}`);
  for (const [code, n] of Object.entries(v.errors.byCode) as [ProbeErrorCode, number][]) parts.push(`${n}× ${code}`);
  return parts.join(', ');
}

/** The cookie evidence that explains why requests left their replica, as a clause; null when the cookies do not say. */
function cookieCause(stories: readonly CookieStory[]): string | null {
  const b = stories.find((s) => s.isBalancer);
  if (!b) {
    const others = stories.filter((s) => s.setCount > 0).map((s) => `\`${s.name}\``);
    return `the balancer set no sticky cookie${others.length ? ` (the app set ${others.join(', ')})` : ''}, so it balances every request anew`;
  }
  const label = `the balancer's cookie \`${b.name}\``;
  if (b.rejected['secure-over-http']) return `${label} carries \`Secure\` but the page is plain http, so browsers never send it back and every request is balanced anew`;
  const rejected = (Object.keys(b.rejected) as CookieRejectReason[]).find((r) => r !== 'cookies-disabled' && b.rejected[r]);
  if (rejected) return `${label} ${REJECT_TEXT[rejected]}, so browsers never send it back`;
  const withheld = (Object.keys(b.withheld) as CookieWithholdReason[]).find((r) => b.withheld[r]);
  if (b.storedCount > 0 && b.sentCount === 0 && withheld) return `${label} was stored but never sent back: ${WITHHOLD_TEXT[withheld]}`;
  if (b.firstRepin) return `at request ${b.firstRepin.index} ${label} named ${b.firstRepin.cookieReplica} but ${b.firstRepin.answeredBy} answered: the balancer re-pinned the user`;
  if (b.changes > 0) return `${label} changed value at request ${b.firstChangeAt}, moving the user to another replica`;
  return null;
}

export function diagnose(input: DiagnosisInput): Diagnosis[] {
  const { verdict: v, cookieSummary: cs, target } = input;
  const out: Diagnosis[] = [];
  const add = (d: Omit<Diagnosis, 'atIndex' | 'cookie'> & Partial<Pick<Diagnosis, 'atIndex' | 'cookie'>>) =>
    out.push({ atIndex: null, cookie: null, ...d });
  const failed = v.status === 'fail';
  const balancer = cs.balancerCookie;
  // The balancer's cookie first, so the most telling finding leads.
  const stories = [...cs.cookies].sort((a, b) => Number(b.isBalancer) - Number(a.isBalancer));
  const isKey = (s: CookieStory) => s.isBalancer || (balancer === null && failed);

  // The protocol's own answers first: they say what users saw, not only where requests went.
  const cookiesVisible = input.cookiesVisible ?? true;
  if (input.protocol) diagnoseProtocol(input.protocol, add, input.cookies === 'browser' && cookiesVisible ? cookieCause(stories) : null);
  const protocolRun = input.protocol !== undefined && input.protocol.protocol !== 'http';

  if (input.cookies === 'none') {
    add({
      code: 'cookies-disabled',
      severity: 'info',
      message: 'cookies were not kept (cookies: none), so this run shows how the balancer spreads requests without affinity',
    });
  }

  if (!cookiesVisible && input.cookies === 'browser') {
    add({
      code: 'cookies-unseen',
      severity: failed ? 'warning' : 'info',
      message: failed
        ? "this browser kept the run's cookies itself (direct mode), where a page cannot see them: the balancer's cookie was never set, or the browser did not store it or send it back (a target on another site than this page gets no `SameSite=Lax` or `Strict` cookies, and third-party cookies may be blocked). Relay mode shows which"
        : "this browser kept the run's cookies itself (direct mode), where a page cannot see them: whatever pinned the run to one replica survived this browser's own cookie rules",
    });
  }

  for (const s of stories) {
    if (input.cookies === 'none' || !cookiesVisible) break;
    for (const [reason, count] of Object.entries(s.rejected) as [CookieRejectReason, number][]) {
      if (!count || reason === 'cookies-disabled') continue;
      const label = cookieLabel(s.name);
      if (reason === 'secure-over-http') {
        add({
          code: 'secure-cookie-over-http',
          severity: isKey(s) ? 'error' : 'warning',
          message: isKey(s)
            ? `${label} was set with \`Secure\` on an http target; browsers never send it back, so each request was balanced anew${breakNote(v)}`
            : `${label} was set with \`Secure\` on an http target; browsers drop it, so it is never sent back`,
          atIndex: s.firstRejectedAt,
          cookie: s.name,
        });
      } else if (reason === 'samesite-none-insecure') {
        add({
          code: 'samesite-none-insecure',
          severity: isKey(s) ? 'error' : 'warning',
          message: `${label} was set with \`SameSite=None\` but without \`Secure\`; Chromium rejects it, so it is never sent back${isKey(s) ? breakNote(v) : ''}`,
          atIndex: s.firstRejectedAt,
          cookie: s.name,
        });
      } else {
        add({
          code: 'cookie-rejected',
          severity: s.isBalancer ? 'error' : 'warning',
          message: `${s.name === '' ? 'a Set-Cookie line' : label} ${REJECT_TEXT[reason]}; it was rejected ${count === 1 ? 'once' : `${count} times`} (first at request ${s.firstRejectedAt})`,
          atIndex: s.firstRejectedAt,
          cookie: s.name,
        });
      }
    }
    if (s.storedCount > 0 && s.sentCount === 0) {
      const reasons = Object.entries(s.withheld) as [CookieWithholdReason, number][];
      if (reasons.length) {
        const [reason] = reasons.sort((a, b) => b[1] - a[1])[0]!;
        add({
          code: 'cookie-never-sent',
          severity: s.isBalancer ? 'error' : 'warning',
          message: `${cookieLabel(s.name)} was stored but never sent back: ${WITHHOLD_TEXT[reason]}${s.isBalancer ? breakNote(v) : ''}`,
          atIndex: s.firstSetAt,
          cookie: s.name,
        });
      }
    }
  }

  const balancerStory = stories.find((s) => s.isBalancer) ?? null;
  if (input.cookies === 'browser' && cookiesVisible && balancerStory === null) {
    const others = stories.filter((s) => s.setCount > 0).map((s) => `\`${s.name}\``);
    const also = others.length
      ? `; the app set ${others.join(', ')}, which is not a sticky cookie name we know (name it with balancerCookie if it is one)`
      : '';
    if (failed) {
      add({ code: 'no-balancer-cookie', severity: 'error', message: `no cookie was set by the balancer${also}${breakNote(v)}` });
    } else if (v.status === 'pass' && Object.keys(v.replicas).length === 1) {
      const pinning = pinningCookie(stories, v.total);
      if (pinning) {
        add({
          code: 'balancer-cookie-by-behaviour',
          severity: 'info',
          message: `\`${pinning.name}\` acted as the balancer's sticky cookie: set by the response to request ${pinning.firstSetAt}, sent back unchanged on every request after it, and ${v.firstReplica} answered them all. Its name is not one stickyscope knows, so this is read from what it did; name it as the balancer cookie (Probe form) or with --identity cookie:${pinning.name} to have it checked by name`,
          atIndex: pinning.firstSetAt,
          cookie: pinning.name,
        });
      } else {
        add({
          code: 'only-one-replica',
          severity: 'info',
          message: `every response came from ${v.firstReplica} and no balancer cookie was set: either only one replica is serving, or the balancer pins clients by something else (such as their IP address)`,
        });
      }
    }
  }

  if (balancerStory && balancerStory.changes > 0) {
    const ev = cs.events.find((e) => e.kind === 'changed' && e.name === balancerStory.name);
    add({
      code: 'balancer-cookie-changed',
      severity: 'warning',
      message: `the balancer cookie \`${balancerStory.name}\` changed value at request ${balancerStory.firstChangeAt}${ev?.detail ? ` (${ev.detail})` : ''}${balancerStory.changes > 1 ? `, ${balancerStory.changes} times in all` : ''}`,
      atIndex: balancerStory.firstChangeAt,
      cookie: balancerStory.name,
    });
  }
  if (balancerStory?.firstRepin) {
    const r = balancerStory.firstRepin;
    const spreadBehind = balancerStory.repins > 1 && balancerStory.changes === 0;
    add({
      code: 'balancer-cookie-repinned',
      // One re-pin is a failover; the same cookie overruled again and again is something behind the balancer.
      severity: spreadBehind ? 'error' : 'warning',
      message: spreadBehind
        ? `the balancer cookie \`${balancerStory.name}\` kept naming ${r.cookieReplica}, yet other replicas answered ${balancerStory.repins} times (first ${r.answeredBy} at request ${r.index}): the balancer did pin the user, and something between it and the replicas spread the requests again, such as a Swarm VIP (Traefik's lbswarm), a service mesh or a second balancer`
        : `at request ${r.index} the balancer cookie \`${balancerStory.name}\` named replica ${r.cookieReplica} but replica ${r.answeredBy} answered (re-pinned, as after a failover)${balancerStory.repins > 1 ? `; ${balancerStory.repins} times in all` : ''}`,
      atIndex: r.index,
      cookie: balancerStory.name,
    });
  }

  if (target.secureContext === 'loopback') {
    const hidden = stories.filter((s) => s.secureViaLoopback > 0);
    if (hidden.length) {
      add({
        code: 'loopback-hides-secure',
        severity: 'warning',
        message: `the target ${target.host} is a loopback name, where Chromium counts plain http as secure, so the \`Secure\` ${hidden.map((s) => cookieLabel(s.name)).join(', ')} was kept and sent; under a real hostname over http it would be dropped. Probe through a name with resolve (e.g. app.test:PORT:127.0.0.1) to see what users get`,
        cookie: hidden[0]!.name,
      });
    }
  }

  // Only plain HTTP lanes share a jar; protocol lanes are separate users, whose first requests race nothing.
  if (failed && !protocolRun && input.concurrency > 1 && v.firstBreakAt !== null && v.firstBreakAt <= input.concurrency && balancerStory) {
    add({
      code: 'concurrent-start',
      severity: 'info',
      message: `the first ${input.concurrency} requests went out in parallel before any cookie was stored, as a browser opening ${input.concurrency} connections at once would; the break at request ${v.firstBreakAt} may only reflect that start`,
      atIndex: v.firstBreakAt,
    });
  }

  if (v.successful > 0 && v.identified === 0) {
    add({
      code: 'no-identity',
      severity: protocolRun ? 'info' : 'error',
      message: protocolRun
        ? `none of the ${v.successful} successful responses named a replica, so the verdict rests on the protocol's own answers; an identity source (header, body regex, JSON field or the balancer cookie) would also show where each request went`
        : `none of the ${v.successful} successful responses named a replica; choose an identity source (header, body regex, JSON field or the balancer cookie)`,
    });
  }
  const sources = Object.entries(input.identitySources);
  const fromSentCookie = sources.filter(([s]) => s.startsWith('cookie-sent:')).reduce((a, [, n]) => a + n, 0);
  const allSources = sources.reduce((a, [, n]) => a + n, 0);
  if (allSources > 0 && fromSentCookie * 2 > allSources) {
    add({
      code: 'identity-from-cookie',
      severity: 'info',
      message: 'most replica identities were inferred from the balancer cookie the client sent, not reported by the replica, so a pass only shows the cookie was kept; add an identity header or body field to be sure',
    });
  }

  if (v.errors.total > 0) {
    add({
      code: 'errors',
      severity: v.errors.total === v.total ? 'error' : 'warning',
      message: `${v.errors.total} of ${v.total} requests failed: ${errorSummary(v)}`,
    });
  }

  if (v.status === 'pass' && !out.some((d) => d.code === 'only-one-replica')) {
    const keptBy = balancerStory?.name ?? out.find((d) => d.code === 'balancer-cookie-by-behaviour')?.cookie;
    add({
      code: 'sticky-ok',
      severity: 'info',
      message: `${describePass(v)}${keptBy ? ` (kept there by the balancer cookie \`${keptBy}\`)` : ''}`,
    });
  }

  return out
    .map((d, i) => ({ d, i }))
    .sort((a, b) => SEVERITY_ORDER[a.d.severity] - SEVERITY_ORDER[b.d.severity] || a.i - b.i)
    .map(({ d }) => d);
}

/**
 * A cookie that behaved as a balancer's sticky cookie whatever its name (HAProxy `cookie … insert`, Caddy's
 * `lb_policy cookie` with a custom name): set by one of the first two responses, never changed, and sent back on every
 * request after it. An app's well-known session cookie does the same, so it never counts.
 */
function pinningCookie(stories: readonly CookieStory[], total: number): CookieStory | null {
  return (
    stories.find(
      (s) =>
        s.firstSetAt !== null &&
        s.firstSetAt <= 2 &&
        s.changes === 0 &&
        s.sentCount >= total - s.firstSetAt &&
        total - s.firstSetAt > 0 &&
        !isLikelyAppSessionCookie(s.name),
    ) ?? null
  );
}
