import { describe, expect, it } from 'vitest';
import { runProbe } from '../engine';
import { parseProbeSpec, type ProbeSpecInput } from '../spec';
import { setEvent } from '../test/records';
import type { CookieHeaderResult, ProbeTransport, TransportResult } from '../types';
import { AppSessionTracker, isLikelyAppSessionCookie } from './app-session';

const carrying = (pairs: [string, string][]): CookieHeaderResult => ({
  header: pairs.map(([n, v]) => `${n}=${v}`).join('; ') || null,
  sent: pairs.map(([n]) => n),
  values: pairs.map(([, v]) => v),
  withheld: [],
});

describe('AppSessionTracker', () => {
  it('knows the common session cookies', () => {
    for (const name of ['connect.sid', 'JSESSIONID', 'jsessionid', 'PHPSESSID', 'session', '_session_id']) expect(isLikelyAppSessionCookie(name)).toBe(true);
    for (const name of ['SRV', 'theme', 'sessionid2']) expect(isLikelyAppSessionCookie(name)).toBe(false);
  });

  it('auto: nothing until the app sets a known cookie, then sent/lost per request', () => {
    const t = new AppSessionTracker('auto');
    expect(t.observe(carrying([]), [setEvent('theme', 'dark')], null)).toBeNull();
    expect(t.observe(carrying([]), [setEvent('connect.sid', 's:1')], null)).toEqual({ name: 'connect.sid', sent: false, lost: false });
    expect(t.observe(carrying([['connect.sid', 's:1']]), [], null)).toEqual({ name: 'connect.sid', sent: true, lost: false });
    // Re-sent with the same value (express-session with rolling): still the same session.
    expect(t.observe(carrying([['connect.sid', 's:1']]), [setEvent('connect.sid', 's:1', { outcome: 'updated' })], null)?.lost).toBe(false);
    expect(t.observe(carrying([['connect.sid', 's:1']]), [setEvent('connect.sid', 's:2', { outcome: 'updated', previousValue: 's:1' })], null)?.lost).toBe(true);
    expect(t.observe(carrying([['connect.sid', 's:2']]), [setEvent('connect.sid', '', { outcome: 'deleted' })], null)?.lost).toBe(true);
  });

  it('never takes the balancer cookie, and follows a named cookie from the start', () => {
    expect(new AppSessionTracker('auto').observe(carrying([]), [setEvent('session', 'x')], 'session')).toBeNull();
    const named = new AppSessionTracker('sid');
    expect(named.observe(carrying([]), [], null)).toEqual({ name: 'sid', sent: false, lost: false });
  });
});

describe('app session in a run', () => {
  /** express-session behind a balancer: each replica keeps its own sessions and issues a new one for any other. */
  function expressLab(sticky: boolean): ProbeTransport {
    const sessions = [new Set<string>(), new Set<string>(), new Set<string>()];
    let next = 0;
    let issued = 0;
    return {
      seesCookies: true,
      async send(req): Promise<TransportResult> {
        const pinned = sticky ? /SRV=r(\d)/.exec(req.cookieHeader ?? '') : null;
        const i = pinned ? Number(pinned[1]) : next++ % 3;
        const sid = /connect\.sid=([^;]+)/.exec(req.cookieHeader ?? '')?.[1];
        const setCookie = sticky && !pinned ? [`SRV=r${i}; Path=/`] : [];
        if (!sid || !sessions[i]!.has(sid)) {
          const fresh = `s%3A${++issued}`;
          sessions[i]!.add(fresh);
          setCookie.push(`connect.sid=${fresh}; Path=/; HttpOnly`);
        }
        return { ok: true, status: 200, headers: { 'x-replica': `app-${i + 1}` }, setCookie, bodyPrefix: '{}', bodyTruncated: false, ttfbMs: null };
      },
    };
  }
  const spec = (over: Omit<ProbeSpecInput, 'target'> = {}) => parseProbeSpec({ target: 'http://app.test/', intervalMs: 0, requests: 100, ...over });

  it('round robin: app session lost at request 2', async () => {
    const r = await runProbe(spec({ requests: 9 }), expressLab(false));
    expect(r.records[1]!.appSession).toEqual({ name: 'connect.sid', sent: true, lost: true });
    expect(r.protocol.appSession).toEqual({ name: 'connect.sid', sent: 8, lost: 8, firstLost: { index: 2, replica: 'app-2' } });
    const lost = r.diagnosis.find((d) => d.code === 'app-session-lost');
    expect(lost?.message).toBe('app session cookie `connect.sid` re-issued at request 2: the app lost the login (app-2 did not know the session); 8 times in all');
  });

  it('the lost session alone fails the run when no replica is named', async () => {
    const r = await runProbe(spec({ requests: 9, identity: { header: 'x-none' } }), expressLab(false));
    expect(r.verdict).toMatchObject({ status: 'fail', firstBreakAt: 2 });
  });

  it('cookie insert: the session is kept for 100 requests', async () => {
    const r = await runProbe(spec(), expressLab(true));
    expect(r.verdict.status).toBe('pass');
    expect(r.protocol.appSession).toMatchObject({ name: 'connect.sid', sent: 99, lost: 0 });
    expect(r.diagnosis.find((d) => d.code === 'app-session-kept')?.message).toBe(
      'app session cookie `connect.sid` was sent back on 99 requests and never re-issued: the app kept the session',
    );
  });

  it('off: no tracking', async () => {
    const r = await runProbe(spec({ requests: 5, appSessionCookie: 'off' }), expressLab(false));
    expect(r.records.some((x) => x.appSession)).toBe(false);
    expect(r.protocol.appSession).toBeNull();
  });
});
