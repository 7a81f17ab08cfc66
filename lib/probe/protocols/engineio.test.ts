import { describe, expect, it } from 'vitest';
import { runProbe } from '../engine';
import { parseProbeSpec, type ProbeSpecInput } from '../spec';
import type { ProbeTransport } from '../types';
import { engineioLab } from './test/engineio-lab';

const spec = (over: Omit<ProbeSpecInput, 'target'> = {}) =>
  parseProbeSpec({ target: 'http://chat.test/', protocol: 'engineio', intervalMs: 0, requests: 10, ...over });

describe('engine.io lanes', () => {
  it('cookie insert: handshake, join, POSTs and the upgrade all reach the sid holder: PASS', async () => {
    const lab = engineioLab({ sticky: true });
    const r = await runProbe(spec(), lab.transport);
    expect(r.records.map((x) => x.protocol?.phase)).toEqual(['handshake', 'join', ...Array(7).fill('post'), 'upgrade']);
    expect(r.records.every((x) => x.protocol?.outcome === 'ok' && x.protocol.session === 'sid1')).toBe(true);
    expect(lab.sent.map((s) => s.body)).toEqual([null, '40', ...Array(7).fill('3'), '2probe']);
    // The upgrade carries the balancer cookie the handshake got.
    expect(lab.sent.at(-1)?.cookie).toBe('SRV=r0');
    expect(r.verdict).toMatchObject({ status: 'pass', firstBreakAt: null, replicas: { 'io-1': 10 } });
    expect(r.diagnosis.map((d) => d.code)).toEqual(expect.arrayContaining(['upgrade-ok', 'sticky-ok']));
    expect(r.diagnosis.find((d) => d.code === 'upgrade-ok')?.message).toContain("to io-1, the handshake's replica,");
  });

  it('round robin: FAIL at the join, the first POST that lands elsewhere, with the Session ID unknown evidence', async () => {
    const lab = engineioLab({ sticky: false });
    const r = await runProbe(spec({ requests: 9 }), lab.transport);
    expect(r.records.map((x) => x.protocol?.outcome)).toEqual(['ok', 'break', 'break', 'ok', 'break', 'break', 'ok', 'break', 'break']);
    expect(r.verdict).toMatchObject({ status: 'fail', firstBreakAt: 2, firstBreakReplica: 'io-2', firstReplica: 'io-1' });
    expect(r.expectation.holds).toBe(false);
    const first = r.diagnosis[0]!;
    expect(first).toMatchObject({ code: 'session-id-unknown', severity: 'error', atIndex: 2 });
    expect(first.message).toBe(
      'the POST at request 2 answered 400 `Session ID unknown`: the balancer sent the session to a replica that did not hold it (sid sid1 opened on io-1 at request 1; this request reached io-2); 5 of 7 POSTs broke',
    );
    // The upgrade (request 9) reached io-3, which never saw sid1.
    expect(r.diagnosis.find((d) => d.code === 'upgrade-elsewhere')?.message).toMatch(/^the WebSocket upgrade at request 9 was refused with `Session ID unknown`/);
  });

  it('without identity, the protocol answers alone decide', async () => {
    const sticky = await runProbe(spec({ identity: { header: 'x-none' } }), engineioLab({ sticky: true }).transport);
    expect(sticky.verdict).toMatchObject({ status: 'pass', identified: 0 });
    expect(sticky.expectation.message).toBe('sticky: every request reached the replica holding the session');
    expect(sticky.diagnosis.find((d) => d.code === 'no-identity')?.severity).toBe('info');
    const rr = await runProbe(spec({ identity: { header: 'x-none' } }), engineioLab({ sticky: false }).transport);
    expect(rr.verdict).toMatchObject({ status: 'fail', firstBreakAt: 2, firstBreakReplica: null });
    // Every request the session's replica did not answer is a switch, named or not.
    expect(rr.expectation.message).toMatch(/^not sticky: request 2 reached a replica that did not know the session \([1-9]\d* switches\)$/);
    expect(rr.verdict.switches).toBeGreaterThan(0);
  });

  it('concurrency means independent sessions, each strictly sequential on its sid', async () => {
    const lab = engineioLab({ sticky: true });
    const r = await runProbe(spec({ requests: 40, concurrency: 4 }), lab.transport);
    expect(lab.overlaps()).toBe(0);
    const lanes = new Map<number, string[]>();
    for (const x of r.records) lanes.set(x.protocol!.lane, [...(lanes.get(x.protocol!.lane) ?? []), x.protocol!.phase]);
    expect([...lanes.keys()].sort()).toEqual([1, 2, 3, 4]);
    for (const phases of lanes.values()) expect(phases).toEqual(['handshake', 'join', ...Array(7).fill('post'), 'upgrade']);
    expect(new Set(r.records.map((x) => x.protocol!.session)).size).toBe(4);
  });

  it('concurrent lanes are separate users: behind a sticky balancer each keeps its own cookie and every step is ok', async () => {
    const lab = engineioLab({ sticky: true });
    const r = await runProbe(spec({ requests: 40, concurrency: 4 }), lab.transport);
    expect(r.records.filter((x) => x.protocol?.outcome !== 'ok')).toEqual([]);
    expect(r.verdict).toMatchObject({ status: 'pass', firstBreakAt: null, switches: 0, errors: { total: 0 } });
    expect(r.expectation).toMatchObject({ holds: true, message: 'sticky: every session kept to the replica it started on (40 identified responses)' });
    // Four users, four first visits without a cookie: each got its own balancer cookie, and none was overwritten.
    expect(lab.sent.filter((s) => s.phase === 'handshake').map((s) => s.cookie)).toEqual([null, null, null, null]);
    const srv = r.cookies.cookies.find((c) => c.name === 'SRV');
    expect(srv).toMatchObject({ isBalancer: true, setCount: 4, changes: 0, repins: 0 });
    for (const lane of [1, 2, 3, 4]) {
      const own = r.records.filter((x) => x.protocol!.lane === lane);
      expect(new Set(own.map((x) => x.replica)).size).toBe(1);
    }
    const codes = r.diagnosis.map((d) => d.code);
    expect(codes).toContain('sticky-ok');
    expect(codes).not.toContain('session-id-unknown');
    expect(codes).not.toContain('balancer-cookie-changed');
  });

  it('concurrent lanes behind round robin still FAIL, measured against the breaking session\'s own replica', async () => {
    const r = await runProbe(spec({ requests: 40, concurrency: 4 }), engineioLab({ sticky: false }).transport);
    expect(r.verdict.status).toBe('fail');
    const broke = r.records.find((x) => x.index === r.verdict.firstBreakAt)!;
    const opened = r.records.find((x) => x.protocol!.lane === broke.protocol!.lane && x.protocol!.phase === 'handshake')!;
    expect(r.verdict.firstReplica).toBe(opened.replica);
    expect(r.diagnosis[0]).toMatchObject({ code: 'session-id-unknown', atIndex: r.verdict.firstBreakAt });
    expect(r.diagnosis.map((d) => d.code)).not.toContain('concurrent-start');
  });

  it('a session the server closed is an error, not a break, and the lane opens a new one', async () => {
    const lab = engineioLab({ sticky: true });
    // What engine.io answers when a request overlaps another on the sid: an empty 400, and the session is gone.
    const closedOnce = { ok: true as const, status: 400, headers: {}, setCookie: [], bodyPrefix: '', bodyTruncated: false, ttfbMs: null };
    const transport: ProbeTransport = {
      ...lab.transport,
      send: async (req) => (req.body === '3' && req.url.pathAndQuery.includes('sid=sid1') ? closedOnce : lab.transport.send(req)),
    };
    const closed = await runProbe(spec({ requests: 6 }), transport);
    expect(closed.records.map((x) => [x.protocol?.phase, x.protocol?.outcome])).toEqual([
      ['handshake', 'ok'],
      ['join', 'ok'],
      ['post', 'error'],
      ['handshake', 'ok'],
      ['join', 'ok'],
      ['upgrade', 'ok'],
    ]);
    expect(closed.records[2]!.error).toMatchObject({ code: 'protocol', message: expect.stringMatching(/closed the session/) });
    expect(closed.verdict.firstBreakAt).toBeNull();
    expect(closed.diagnosis.find((d) => d.code === 'engineio-error')).toMatchObject({ severity: 'warning', atIndex: 3 });
  });

  it('EIO3: length-prefixed payloads and pings', async () => {
    const lab = engineioLab({ sticky: true, version: 3 });
    const r = await runProbe(spec({ requests: 4, engineio: { version: 3, namespace: '/chat', upgrade: false } }), lab.transport);
    expect(lab.sent.map((s) => s.body)).toEqual([null, '8:40/chat,', '1:2', '1:2']);
    expect(r.verdict.status).toBe('pass');
  });

  it('short sessions: the join comes before the upgrade', async () => {
    const phases = async (requests: number) => (await runProbe(spec({ requests }), engineioLab({ sticky: true }).transport)).records.map((x) => x.protocol?.phase);
    expect(await phases(1)).toEqual(['handshake']);
    expect(await phases(2)).toEqual(['handshake', 'join']);
    expect(await phases(3)).toEqual(['handshake', 'join', 'upgrade']);
  });

  it('a transport without WebSockets (direct mode) posts instead of upgrading', async () => {
    const lab = engineioLab({ sticky: true });
    const r = await runProbe(spec({ requests: 4 }), { seesCookies: true, send: lab.transport.send });
    expect(r.records.map((x) => x.protocol?.phase)).toEqual(['handshake', 'join', 'post', 'post']);
  });
});
