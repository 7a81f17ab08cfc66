import { describe, expect, it } from 'vitest';
import { measureFailover } from './failover';
import { rec, setEvent } from './test/records';
import type { ProbeRecord } from './types';

const refused = { code: 'refused' as const, message: 'connection refused' };

/** A client pinned by cookie SRV: the first response sets it, later requests send it back. */
function pinned(index: number, replica: string, cookie = replica, over: Partial<ProbeRecord> = {}): ProbeRecord {
  const first = index === 1;
  return rec(index, replica, {
    balancer: { name: 'SRV', sent: first ? null : cookie, set: first ? cookie : null },
    setCookies: first ? [setEvent('SRV', cookie)] : [],
    ...over,
  });
}

function failed(index: number, cookie: string): ProbeRecord {
  return rec(index, null, { status: null, error: refused, balancer: { name: 'SRV', sent: cookie, set: null } });
}

/** The balancer moved the client: the response comes from `replica` and sets a new cookie value. */
function repinned(index: number, replica: string, oldCookie: string): ProbeRecord {
  return rec(index, replica, {
    balancer: { name: 'SRV', sent: oldCookie, set: replica },
    setCookies: [setEvent('SRV', replica, { outcome: 'updated', previousValue: oldCookie })],
  });
}

const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);

describe('measureFailover', () => {
  it('measures a killed replica: the failure window, the time to the next success, the re-pin and the new cookie', () => {
    const records = [
      ...range(1, 33).map((i) => pinned(i, 'app-1')),
      failed(34, 'app-1'),
      failed(35, 'app-1'),
      repinned(36, 'app-2', 'app-1'),
      ...range(37, 60).map((i) => pinned(i, 'app-2')),
    ];
    // rec() starts request i at (i - 1) * 10 ms and each takes 1 ms; the action left after request 30, at 295 ms.
    const m = measureFailover({ records, afterIndex: 30, atMs: 295 });
    expect(m).toMatchObject({
      outcome: 'recovered',
      pinnedReplica: 'app-1',
      requestsAfter: 30,
      disruptionAt: 34,
      failedRequests: 2,
      failedAfterAction: 2,
      failureWindow: { fromIndex: 34, toIndex: 35, fromMs: 330, toMs: 351 },
      recovery: { index: 36, replica: 'app-2' },
      timeToRecoveryMs: 56,
      repinnedTo: 'app-2',
      repinned: true,
      balancerCookie: { name: 'SRV', before: 'app-1', after: 'app-2', reissued: true, reissuedAt: 36 },
      session: null,
    });
  });

  it('sees a failover the balancer hid (redispatch): nothing failed, yet the client moved and got a new cookie', () => {
    const records = [...range(1, 10).map((i) => pinned(i, 'app-1')), repinned(11, 'app-3', 'app-1'), ...range(12, 20).map((i) => pinned(i, 'app-3'))];
    const m = measureFailover({ records, afterIndex: 10, atMs: 95 });
    expect(m).toMatchObject({ outcome: 'recovered', failedRequests: 0, failureWindow: null, disruptionAt: 11, recovery: { index: 11 }, repinnedTo: 'app-3' });
    expect(m.timeToRecoveryMs).toBe(101 - 95);
    expect(m.balancerCookie).toMatchObject({ reissued: true, after: 'app-3', reissuedAt: 11 });
  });

  it('reports an action that never reached this client as unaffected', () => {
    const records = range(1, 40).map((i) => pinned(i, 'app-2'));
    const m = measureFailover({ records, afterIndex: 20, atMs: 195 });
    expect(m).toMatchObject({ outcome: 'unaffected', pinnedReplica: 'app-2', failedRequests: 0, recovery: null, timeToRecoveryMs: null, repinned: false });
    expect(m.balancerCookie).toEqual({ name: 'SRV', before: 'app-2', after: null, reissued: false, reissuedAt: null });
  });

  it('counts a run that never recovered, with its window up to the last failure', () => {
    const records = [...range(1, 5).map((i) => pinned(i, 'app-1')), ...range(6, 9).map((i) => failed(i, 'app-1'))];
    const m = measureFailover({ records, afterIndex: 5, atMs: 45 });
    expect(m).toMatchObject({
      outcome: 'not-recovered',
      failedRequests: 4,
      failureWindow: { fromIndex: 6, toIndex: 9, fromMs: 50, toMs: 81 },
      recovery: null,
      timeToRecoveryMs: null,
      repinnedTo: null,
    });
  });

  it('treats HTTP errors such as 502 and 503 from the balancer as failed requests', () => {
    const records = [
      ...range(1, 5).map((i) => pinned(i, 'app-1')),
      rec(6, null, { status: 503, balancer: { name: 'SRV', sent: 'app-1', set: null } }),
      rec(7, null, { status: 502, balancer: { name: 'SRV', sent: 'app-1', set: null } }),
      repinned(8, 'app-2', 'app-1'),
    ];
    expect(measureFailover({ records, afterIndex: 5, atMs: 45 })).toMatchObject({ failedRequests: 2, disruptionAt: 6, recovery: { index: 8 } });
  });

  it('counts failures after the recovery separately from the window', () => {
    const records = [
      ...range(1, 5).map((i) => pinned(i, 'app-1')),
      failed(6, 'app-1'),
      repinned(7, 'app-2', 'app-1'),
      pinned(8, 'app-2'),
      failed(9, 'app-2'),
      pinned(10, 'app-2'),
    ];
    expect(measureFailover({ records, afterIndex: 5, atMs: 45 })).toMatchObject({ failedRequests: 1, failedAfterAction: 2 });
  });

  it('sees a restarted replica that came back under the same name: recovered, not re-pinned, cookie unchanged', () => {
    const records = [...range(1, 5).map((i) => pinned(i, 'app-1')), failed(6, 'app-1'), failed(7, 'app-1'), ...range(8, 10).map((i) => pinned(i, 'app-1'))];
    const m = measureFailover({ records, afterIndex: 5, atMs: 45 });
    expect(m).toMatchObject({ outcome: 'recovered', repinnedTo: 'app-1', repinned: false, failedRequests: 2 });
    expect(m.balancerCookie?.reissued).toBe(false);
  });

  it('names the replica the client settled on when the recovering response had no identity', () => {
    const records = [
      ...range(1, 5).map((i) => pinned(i, 'app-1')),
      failed(6, 'app-1'),
      rec(7, null, { balancer: { name: 'SRV', sent: 'app-1', set: 'app-3' } }),
      pinned(8, 'app-3'),
    ];
    expect(measureFailover({ records, afterIndex: 5, atMs: 45 })).toMatchObject({ recovery: { index: 7, replica: null }, repinnedTo: 'app-3', repinned: true });
  });

  describe('app session cookie', () => {
    const withSession = (r: ProbeRecord, value: string | null, over: Partial<Parameters<typeof setEvent>[2]> = {}): ProbeRecord =>
      value === null ? r : { ...r, setCookies: [...r.setCookies, setEvent('sid', value, over)] };

    it('survives when the new replica never replaces it', () => {
      const records = [
        withSession(pinned(1, 'app-1'), 's1'),
        ...range(2, 5).map((i) => pinned(i, 'app-1')),
        repinned(6, 'app-2', 'app-1'),
        pinned(7, 'app-2'),
      ];
      expect(measureFailover({ records, afterIndex: 5, atMs: 45 }).session).toEqual({
        cookies: [{ name: 'sid', survived: true, lostAt: null, how: null }],
        survived: true,
      });
    });

    it('is lost when a replica answers with a new session (in-memory sessions) or deletes it', () => {
      const base = [withSession(pinned(1, 'app-1'), 's1'), ...range(2, 5).map((i) => pinned(i, 'app-1'))];
      const replaced = [...base, withSession(repinned(6, 'app-2', 'app-1'), 's2', { outcome: 'updated', previousValue: 's1' })];
      expect(measureFailover({ records: replaced, afterIndex: 5, atMs: 45 }).session).toEqual({
        cookies: [{ name: 'sid', survived: false, lostAt: 6, how: 'replaced' }],
        survived: false,
      });
      const deleted = [...base, withSession(pinned(6, 'app-1'), '', { outcome: 'deleted', previousValue: 's1' })];
      expect(measureFailover({ records: deleted, afterIndex: 5, atMs: 45 }).session?.cookies[0]).toMatchObject({ survived: false, how: 'deleted' });
    });

    it('cannot tell when nothing succeeded after the action', () => {
      const records = [withSession(pinned(1, 'app-1'), 's1'), pinned(2, 'app-1'), failed(3, 'app-1')];
      expect(measureFailover({ records, afterIndex: 2, atMs: 15 }).session).toEqual({
        cookies: [{ name: 'sid', survived: null, lostAt: null, how: null }],
        survived: null,
      });
    });

    it('follows only the cookies asked for, and only those held before the action', () => {
      const records = [withSession(pinned(1, 'app-1'), 's1'), pinned(2, 'app-1'), withSession(pinned(3, 'app-1'), 's9')];
      expect(measureFailover({ records, afterIndex: 2, atMs: 15, sessionCookies: ['connect.sid'] }).session).toBeNull();
      expect(measureFailover({ records, afterIndex: 2, atMs: 15, sessionCookies: ['sid'] }).session?.survived).toBe(false);
      // The balancer's own cookie is never taken for the app's session.
      expect(measureFailover({ records: records.slice(1), afterIndex: 1, atMs: 5 }).session).toBeNull();
    });
  });

  it('has no baseline when nothing identified succeeded before the action', () => {
    const records = [failed(1, 'x'), failed(2, 'x'), pinned(3, 'app-1')];
    expect(measureFailover({ records, afterIndex: 2, atMs: 15 })).toMatchObject({ outcome: 'no-baseline', pinnedReplica: null, requestsAfter: 1 });
  });

  it('has no data when the run ended before a request followed the action', () => {
    const records = range(1, 3).map((i) => pinned(i, 'app-1'));
    expect(measureFailover({ records, afterIndex: 3, atMs: 25 })).toMatchObject({ outcome: 'no-data', requestsAfter: 0, pinnedReplica: 'app-1' });
  });

  it('works without a balancer cookie, by replica alone', () => {
    const records = [...range(1, 4).map((i) => rec(i, 'a')), rec(5, null, { status: null, error: refused }), rec(6, 'b'), rec(7, 'b')];
    const m = measureFailover({ records, afterIndex: 4, atMs: 35 });
    expect(m).toMatchObject({ outcome: 'recovered', balancerCookie: null, repinnedTo: 'b', failedRequests: 1 });
  });
});
