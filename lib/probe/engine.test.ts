import { describe, expect, it } from 'vitest';
import { runProbe, type ProbeClock } from './engine';
import { parseProbeSpec, type ProbeSpecInput } from './spec';
import type { ProbeTransport, TransportRequest, TransportResult } from './types';

/** An in-memory balancer: round robin over replicas, optionally pinning by an inserted cookie. */
function fakeBalancer(opts: { replicas?: string[]; cookie?: string | null; attrs?: string } = {}) {
  const replicas = opts.replicas ?? ['app-1', 'app-2', 'app-3'];
  const cookie = opts.cookie === undefined ? 'SRV' : opts.cookie;
  let next = 0;
  const seen: TransportRequest[] = [];
  const transport: ProbeTransport = {
    seesCookies: true,
    async send(req) {
      seen.push(req);
      const pinned = cookie && req.cookieHeader?.match(new RegExp(`(?:^|; )${cookie}=s(\\d+)`));
      const i = pinned ? Number(pinned[1]) : next++ % replicas.length;
      const setCookie = cookie && !pinned ? [`${cookie}=s${i}; Path=/${opts.attrs ?? ''}`] : [];
      return { ok: true, status: 200, headers: {}, setCookie, bodyPrefix: `Hostname: ${replicas[i]}\n`, bodyTruncated: false, ttfbMs: null };
    },
  };
  return { transport, seen };
}

/** A fake clock: sleeping advances time at once and records the delay. */
function fakeClock() {
  let t = 0;
  const sleeps: number[] = [];
  const clock: ProbeClock = {
    now: () => t,
    sleep: async (ms) => {
      sleeps.push(ms);
      t += ms;
    },
  };
  return { clock, sleeps, advance: (ms: number) => (t += ms) };
}

const spec = (over: Omit<ProbeSpecInput, 'target'> & { target?: string } = {}) =>
  parseProbeSpec({ target: 'http://app.test/', intervalMs: 0, ...over });

describe('runProbe', () => {
  it('cookie-insert balancer: PASS, 100/100 on one replica', async () => {
    const { transport, seen } = fakeBalancer();
    const r = await runProbe(spec(), transport);
    expect(r.verdict).toMatchObject({ status: 'pass', replicas: { 'app-1': 100 } });
    expect(r.records).toHaveLength(100);
    expect(r.records[0]).toMatchObject({ index: 1, cookieSent: [], balancer: { name: 'SRV', sent: null, set: 's0' } });
    expect(r.records[1]).toMatchObject({ index: 2, cookieSent: ['SRV'], replica: 'app-1', identitySource: 'body:hostname' });
    expect(seen[1]!.cookieHeader).toBe('SRV=s0');
    expect(r.expectation.holds).toBe(true);
    expect(r.diagnosis.map((d) => d.code)).toEqual(['sticky-ok']);
    expect(r.cookies.balancerCookie).toBe('SRV');
  });

  it('round robin: FAIL at request 2, about a third each, no balancer cookie', async () => {
    const { transport } = fakeBalancer({ cookie: null });
    const r = await runProbe(spec({ requests: 99 }), transport);
    expect(r.verdict).toMatchObject({ status: 'fail', firstBreakAt: 2, replicas: { 'app-1': 33, 'app-2': 33, 'app-3': 33 } });
    expect(r.diagnosis[0]!.code).toBe('no-balancer-cookie');
    expect(r.records.every((x) => x.transport === undefined)).toBe(true);
  });

  it('cookies none on a sticky balancer spreads', async () => {
    const { transport, seen } = fakeBalancer();
    const r = await runProbe(spec({ cookies: 'none', requests: 30, expect: 'spread' }), transport);
    expect(seen.every((s) => s.cookieHeader === null)).toBe(true);
    expect(r.expectation.holds).toBe(true);
    expect(r.diagnosis.map((d) => d.code)).toContain('cookies-disabled');
  });

  it('Secure balancer cookie over http: FAIL with the Secure diagnosis', async () => {
    const { transport } = fakeBalancer({ attrs: '; Secure' });
    const r = await runProbe(spec({ requests: 10 }), transport);
    expect(r.verdict.firstBreakAt).toBe(2);
    expect(r.diagnosis[0]!.message).toMatch(/^cookie `SRV` was set with `Secure` on an http target/);
    // Reached through a loopback name, Chromium keeps it: PASS plus a note.
    const loop = await runProbe(spec({ target: 'http://127.0.0.1:9/', requests: 10 }), fakeBalancer({ attrs: '; Secure' }).transport);
    expect(loop.verdict.status).toBe('pass');
    expect(loop.diagnosis.map((d) => d.code)).toContain('loopback-hides-secure');
  });

  it('stops at the first break and keeps the records so far', async () => {
    const { transport } = fakeBalancer({ cookie: null });
    const r = await runProbe(spec({ stopAtFirstBreak: true }), transport);
    expect(r.ended).toBe('first-break');
    expect(r.records.map((x) => x.index)).toEqual([1, 2]);
  });

  it('paces request starts start-to-start', async () => {
    const { clock, sleeps } = fakeClock();
    const { transport } = fakeBalancer();
    const r = await runProbe(spec({ requests: 5, intervalMs: 10 }), transport, { clock });
    expect(sleeps).toEqual([10, 10, 10, 10]);
    expect(r.records.map((x) => x.startedAt)).toEqual([0, 10, 20, 30, 40]);
  });

  it('does not sleep when responses are slower than the interval', async () => {
    const f = fakeClock();
    const inner = fakeBalancer().transport;
    const slow: ProbeTransport = { seesCookies: true, send: async (req) => { f.advance(25); return inner.send(req); } };
    await runProbe(spec({ requests: 4, intervalMs: 10 }), slow, { clock: f.clock });
    expect(f.sleeps).toEqual([]);
  });

  it('with concurrency, parallel first requests carry no cookie and records come out in index order', async () => {
    const pending: { req: TransportRequest; resolve: (r: TransportResult) => void }[] = [];
    const inner = fakeBalancer();
    const manual: ProbeTransport = {
      seesCookies: true,
      send: (req) => new Promise((resolve) => pending.push({ req, resolve: (r) => resolve(r) })),
    };
    const order: number[] = [];
    // Plain HTTP named: `auto` would load the page alone first, before the lanes start.
    const run = runProbe(spec({ requests: 6, concurrency: 3, protocol: 'http' }), manual, { onRecord: (r) => order.push(r.index) });
    const answer = async (k: number) => {
      const p = pending.splice(k, 1)[0]!;
      p.resolve(await inner.transport.send(p.req));
      await new Promise((r) => setImmediate(r));
    };
    await new Promise((r) => setImmediate(r));
    expect(pending.map((p) => p.req.cookieHeader)).toEqual([null, null, null]);
    await answer(2); // request 3 first
    await answer(1); // request 2
    expect(order).toEqual([]);
    await answer(0); // request 1 releases 1, 2, 3
    expect(order).toEqual([1, 2, 3]);
    // Each follow-up request carried the jar as it was when sent: the cookie from whichever response had arrived last.
    expect(pending.map((p) => p.req.cookieHeader)).toEqual(['SRV=s0', 'SRV=s1', 'SRV=s2']);
    while (pending.length) await answer(0);
    const r = await run;
    expect(order).toEqual([1, 2, 3, 4, 5, 6]);
    expect(r.verdict.firstBreakAt).toBe(2);
    expect(r.diagnosis.map((d) => d.code)).toContain('concurrent-start');
  });

  it('stops on abort, keeps finished records and drops the cut-short one', async () => {
    const controller = new AbortController();
    const inner = fakeBalancer();
    let calls = 0;
    const t: ProbeTransport = {
      seesCookies: true,
      send: (req, signal) => {
        calls++;
        if (calls < 3) return inner.transport.send(req);
        return new Promise((resolve) => {
          signal!.addEventListener('abort', () => resolve({ ok: false, error: { code: 'aborted', message: 'stopped' } }));
          controller.abort();
        });
      },
    };
    const r = await runProbe(spec({ requests: 50 }), t, { signal: controller.signal });
    expect(r.ended).toBe('aborted');
    expect(r.records.map((x) => x.index)).toEqual([1, 2]);
    expect(r.verdict.total).toBe(2);
  });

  it('records transport errors and reports progress', async () => {
    const inner = fakeBalancer();
    let n = 0;
    const t: ProbeTransport = {
      seesCookies: true,
      send: async (req) => (++n === 2 ? { ok: false, error: { code: 'refused', message: 'connection refused' } } : inner.transport.send(req)),
    };
    const progress: number[] = [];
    const r = await runProbe(spec({ requests: 5 }), t, { onProgress: (p) => progress.push(p.done) });
    expect(r.records[1]).toMatchObject({ status: null, error: { code: 'refused' }, replica: null });
    expect(r.verdict.errors.byCode).toEqual({ refused: 1 });
    expect(progress.at(-1)).toBe(5);
  });

  it('hands a live view to onRecord', async () => {
    const seen: number[] = [];
    await runProbe(spec({ requests: 3 }), fakeBalancer().transport, {
      onRecord: (_r, live) => seen.push(live.snapshot().done + live.verdict().total),
    });
    expect(seen).toEqual([2, 4, 6]);
  });

  it('names the transport on every record, and a transport that hides cookies gets no cookie-based diagnosis', async () => {
    const { transport } = fakeBalancer({ cookie: null });
    const direct: ProbeTransport = { seesCookies: false, kind: 'direct', send: (req, signal) => transport.send(req, signal) };
    const r = await runProbe(spec({ requests: 6 }), direct);
    expect(r.records.map((x) => x.transport)).toEqual(Array(6).fill('direct'));
    expect(r.verdict.status).toBe('fail');
    expect(r.diagnosis.map((d) => d.code)).toEqual(['cookies-unseen']);
  });
});
