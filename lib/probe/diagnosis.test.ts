import { describe, expect, it } from 'vitest';
import { CookieTimeline } from './cookie-timeline';
import { diagnose } from './diagnosis';
import type { ProbeRecord } from './types';
import { toProbeUrl } from './url';
import { computeVerdict } from './verdict';
import { attrs, rec, sequence, setEvent } from './test/records';

function run(records: ProbeRecord[], opts: { target?: string; cookies?: 'browser' | 'none'; concurrency?: number; cookiesVisible?: boolean } = {}) {
  const timeline = new CookieTimeline();
  const sources: Record<string, number> = {};
  for (const r of records) {
    timeline.add(r);
    if (r.identitySource) sources[r.identitySource] = (sources[r.identitySource] ?? 0) + 1;
  }
  const verdict = computeVerdict(records);
  const diagnosis = diagnose({
    target: toProbeUrl(opts.target ?? 'http://app.test/'),
    cookies: opts.cookies ?? 'browser',
    concurrency: opts.concurrency ?? 1,
    verdict,
    cookieSummary: timeline.summary(),
    identitySources: sources,
    cookiesVisible: opts.cookiesVisible,
  });
  return { verdict, diagnosis, codes: diagnosis.map((d) => d.code), cookies: timeline.summary() };
}

const secureSrv = (value: string) =>
  setEvent('SRV', value, { attributes: attrs({ secure: true }), outcome: 'rejected', reason: 'secure-over-http' });

describe('diagnosis', () => {
  it('round robin without cookies: no balancer cookie, break at request 2', () => {
    const { codes, diagnosis } = run(sequence(['a', 'b', 'c'], 30));
    expect(codes).toEqual(['no-balancer-cookie']);
    expect(diagnosis[0]).toMatchObject({ severity: 'error', message: 'no cookie was set by the balancer (first break at request 2)' });
  });

  it('names app cookies that are not balancer cookies', () => {
    const records = sequence(['a', 'b'], 4, (i) => (i === 1 ? { setCookies: [setEvent('sid', 'x')] } : { cookieSent: ['sid'] }));
    expect(run(records).diagnosis[0]?.message).toMatch(/the app set `sid`.*balancerCookie/);
  });

  it('a Secure balancer cookie on an http target explains the break', () => {
    const records = sequence(['a', 'b', 'c'], 9, (i) => ({
      setCookies: [secureSrv(['s1', 's2', 's3'][(i - 1) % 3]!)],
      balancer: { name: 'SRV', sent: null, set: ['s1', 's2', 's3'][(i - 1) % 3]! },
    }));
    const { diagnosis, codes } = run(records);
    expect(codes[0]).toBe('secure-cookie-over-http');
    expect(diagnosis[0]!.message).toBe(
      'cookie `SRV` was set with `Secure` on an http target; browsers never send it back, so each request was balanced anew (first break at request 2)',
    );
    expect(diagnosis[0]).toMatchObject({ atIndex: 1, cookie: 'SRV', severity: 'error' });
    expect(codes).not.toContain('no-balancer-cookie');
  });

  it('SameSite=None without Secure', () => {
    const ev = setEvent('SRV', 's1', { attributes: attrs({ sameSite: 'none' }), outcome: 'rejected', reason: 'samesite-none-insecure' });
    const records = sequence(['a', 'b'], 4, () => ({ setCookies: [ev], balancer: { name: 'SRV', sent: null, set: 's1' } }));
    const d = run(records).diagnosis[0]!;
    expect(d.code).toBe('samesite-none-insecure');
    expect(d.message).toMatch(/`SameSite=None` but without `Secure`.*first break at request 2/);
  });

  it('a working cookie-insert balancer passes with sticky-ok', () => {
    const records = sequence(['a'], 10, (i) =>
      i === 1
        ? { setCookies: [setEvent('SRV', 's1')], balancer: { name: 'SRV', sent: null, set: 's1' } }
        : { cookieSent: ['SRV'], balancer: { name: 'SRV', sent: 's1', set: null } },
    );
    const { verdict, codes, diagnosis, cookies } = run(records);
    expect(verdict.status).toBe('pass');
    expect(codes).toEqual(['sticky-ok']);
    expect(diagnosis[0]!.message).toMatch(/all 10 .* came from a \(kept there by the balancer cookie `SRV`\)/);
    expect(cookies.cookies.find((c) => c.name === 'SRV')).toMatchObject({ isBalancer: true, setCount: 1, sentCount: 9, firstSentAt: 2 });
  });

  it('balancer cookie changed value and re-pinned after a failover', () => {
    const records = [
      rec(1, 'a', { setCookies: [setEvent('SRV', 's1')], balancer: { name: 'SRV', sent: null, set: 's1' } }),
      rec(2, 'a', { cookieSent: ['SRV'], balancer: { name: 'SRV', sent: 's1', set: null } }),
      rec(3, 'b', {
        cookieSent: ['SRV'],
        setCookies: [setEvent('SRV', 's2', { outcome: 'updated', previousValue: 's1' })],
        balancer: { name: 'SRV', sent: 's1', set: 's2' },
      }),
      rec(4, 'b', { cookieSent: ['SRV'], balancer: { name: 'SRV', sent: 's2', set: null } }),
    ];
    const { diagnosis, codes, cookies } = run(records);
    expect(codes).toContain('balancer-cookie-changed');
    expect(codes).toContain('balancer-cookie-repinned');
    expect(diagnosis.find((d) => d.code === 'balancer-cookie-changed')!.message).toBe('the balancer cookie `SRV` changed value at request 3 (s1 → s2)');
    expect(diagnosis.find((d) => d.code === 'balancer-cookie-repinned')!.message).toMatch(/^at request 3 the balancer cookie `SRV` named replica a but replica b answered/);
    expect(cookies.events.map((e) => `${e.index}:${e.kind}`)).toEqual(['1:set', '2:first-sent', '3:changed', '3:repinned']);
  });

  it('the same cookie overruled again and again is named as something behind the balancer, not a failover', () => {
    // Traefik with lbswarm: its cookie names the one server it has, the Swarm VIP, which round-robins behind it.
    const records = sequence(['a', 'b', 'c'], 12, (i) =>
      i === 1 ? { setCookies: [setEvent('SRV', 'vip')], balancer: { name: 'SRV', sent: null, set: 'vip' } } : { cookieSent: ['SRV'], balancer: { name: 'SRV', sent: 'vip', set: null } },
    );
    const { diagnosis } = run(records);
    const repinned = diagnosis.find((d) => d.code === 'balancer-cookie-repinned');
    expect(repinned).toMatchObject({ severity: 'error', atIndex: 2 });
    expect(repinned!.message).toMatch(/^the balancer cookie `SRV` kept naming a, yet other replicas answered \d+ times \(first b at request 2\).*Swarm VIP \(Traefik's lbswarm\)/);
    expect(repinned!.message).not.toContain('failover');
  });

  it('loopback hides a Secure problem and says so', () => {
    const ev = setEvent('SRV', 's1', { attributes: attrs({ secure: true }), secureVia: 'loopback' });
    const records = sequence(['a'], 5, (i) => (i === 1 ? { setCookies: [ev], balancer: { name: 'SRV', sent: null, set: 's1' } } : { cookieSent: ['SRV'], balancer: { name: 'SRV', sent: 's1', set: null } }));
    const { codes, diagnosis } = run(records, { target: 'http://127.0.0.1:8080/' });
    expect(codes).toContain('loopback-hides-secure');
    expect(diagnosis.find((d) => d.code === 'loopback-hides-secure')!.message).toMatch(/127\.0\.0\.1 is a loopback name.*resolve/);
    expect(run(records, { target: 'https://app.test/' }).codes).not.toContain('loopback-hides-secure');
  });

  it('cookies off shows the raw spread', () => {
    const ev = setEvent('SRV', 's1', { outcome: 'rejected', reason: 'cookies-disabled' });
    const { codes } = run(sequence(['a', 'b'], 6, () => ({ setCookies: [ev], balancer: { name: 'SRV', sent: null, set: 's1' } })), { cookies: 'none' });
    expect(codes).toEqual(['cookies-disabled']);
  });

  it('a cookie stored but never sent names the rule', () => {
    const records = sequence(['a', 'b'], 4, (i) =>
      i === 1 ? { setCookies: [setEvent('SRV', 's1', { attributes: attrs({ path: '/admin' }) })], balancer: { name: 'SRV', sent: null, set: 's1' } } : { withheld: [{ name: 'SRV', reason: 'path' }], balancer: { name: 'SRV', sent: null, set: null } },
    );
    const d = run(records).diagnosis.find((x) => x.code === 'cookie-never-sent')!;
    expect(d.message).toBe("cookie `SRV` was stored but never sent back: its `Path` does not cover the target's path (first break at request 2)");
  });

  it('other rejections, concurrency at the start, errors, missing identity', () => {
    const prefix = setEvent('__Host-x', '1', { outcome: 'rejected', reason: 'host-prefix' });
    const records = [
      rec(1, 'a', { setCookies: [prefix, setEvent('SRV', 's1')], balancer: { name: 'SRV', sent: null, set: 's1' } }),
      rec(2, 'b', { setCookies: [setEvent('SRV', 's2', { outcome: 'updated', previousValue: 's1' })], balancer: { name: 'SRV', sent: null, set: 's2' } }),
      rec(3, 'b', { status: 502 }),
      rec(4, null, { status: null, error: { code: 'timeout', message: 't' } }),
    ];
    const { codes, diagnosis } = run(records, { concurrency: 4 });
    expect(codes).toEqual(expect.arrayContaining(['cookie-rejected', 'concurrent-start', 'errors', 'balancer-cookie-changed']));
    expect(diagnosis.find((d) => d.code === 'errors')!.message).toBe('2 of 4 requests failed: 1× HTTP 502, 1× timeout');
    expect(diagnosis.find((d) => d.code === 'cookie-rejected')!.message).toMatch(/`__Host-x` uses the `__Host-` prefix/);
    expect(run(sequence([], 3).map((r) => ({ ...r, replica: null, identitySource: null }))).codes).toContain('no-identity');
  });

  it('flags identities that only come from the cookie the client sent', () => {
    const records = sequence(['s1'], 5, (i) => ({ identitySource: i === 1 ? 'cookie:SRV' : 'cookie-sent:SRV', balancer: { name: 'SRV', sent: i === 1 ? null : 's1', set: i === 1 ? 's1' : null } }));
    expect(run(records).codes).toContain('identity-from-cookie');
  });

  it('one replica and no cookie: cannot tell', () => {
    expect(run(sequence(['a'], 5)).codes).toEqual(['only-one-replica']);
  });

  it('a cookie of a name it does not know, set first and sent back on every request after, is read as the balancer\'s', () => {
    // HAProxy `cookie web insert`, Caddy `lb_policy cookie lbid`: names no list can guess.
    const pinned = (name: string) => sequence(['a'], 20, (i) => (i === 1 ? { setCookies: [setEvent(name, 'srv1')] } : { cookieSent: [name] }));
    const { diagnosis, codes } = run(pinned('web'));
    expect(codes).toEqual(['balancer-cookie-by-behaviour', 'sticky-ok']);
    expect(diagnosis[1]!.message).toContain('(kept there by the balancer cookie `web`)');
    expect(diagnosis[0]).toMatchObject({ severity: 'info', cookie: 'web', atIndex: 1 });
    expect(diagnosis[0]!.message).toMatch(/^`web` acted as the balancer's sticky cookie: set by the response to request 1, sent back unchanged on every request after it, and a answered them all/);
    // An app's session cookie behaves the same and proves nothing about the balancer.
    expect(run(pinned('connect.sid')).codes).toEqual(['only-one-replica']);
    // A cookie that was dropped on the way does not qualify.
    const dropped = sequence(['a'], 20, (i) => (i === 1 ? { setCookies: [setEvent('web', 'srv1')] } : i < 10 ? { cookieSent: ['web'] } : {}));
    expect(run(dropped).codes).toEqual(['only-one-replica']);
  });

  it('with the cookies out of sight (direct mode), says so instead of blaming a missing cookie', () => {
    const fail = run(sequence(['a', 'b', 'c'], 30), { cookiesVisible: false });
    expect(fail.codes).toEqual(['cookies-unseen']);
    expect(fail.diagnosis[0]).toMatchObject({ severity: 'warning' });
    expect(fail.diagnosis[0]!.message).toMatch(/did not store it or send it back.*Relay mode shows which/);
    const pass = run(sequence(['a'], 30), { cookiesVisible: false });
    expect(pass.codes).toEqual(['cookies-unseen', 'sticky-ok']);
    expect(pass.diagnosis[0]).toMatchObject({ severity: 'info' });
    expect(run(sequence(['a', 'b'], 4), { cookiesVisible: false, cookies: 'none' }).codes).toEqual(['cookies-disabled']);
  });
});
