import { describe, expect, it } from 'vitest';
import { computeVerdict, evaluateExpectation, VerdictAggregator } from './verdict';
import { rec, sequence } from './test/records';

describe('sticky verdict', () => {
  it('passes when every successful response came from one replica', () => {
    const v = computeVerdict(sequence(['a'], 100));
    expect(v).toMatchObject({ status: 'pass', sticky: true, identified: 100, firstReplica: 'a', firstBreakAt: null, switches: 0, replicas: { a: 100 } });
  });

  it('fails at request 2 for round robin, with switches and a near-even distribution', () => {
    const v = computeVerdict(sequence(['a', 'b', 'c'], 99));
    expect(v).toMatchObject({ status: 'fail', sticky: false, firstBreakAt: 2, firstBreakMs: 10, firstBreakReplica: 'b', switches: 98 });
    expect(v.replicas).toEqual({ a: 33, b: 33, c: 33 });
  });

  it('ignores errors and unidentified responses for stickiness but counts them', () => {
    const records = [
      rec(1, null, { status: 502 }),
      rec(2, 'a'),
      rec(3, null),
      rec(4, null, { status: null, error: { code: 'timeout', message: 't' } }),
      rec(5, 'b', { status: 503 }),
      rec(6, 'a'),
    ];
    const v = computeVerdict(records);
    expect(v).toMatchObject({ status: 'pass', total: 6, successful: 3, identified: 2, firstReplica: 'a', switches: 0 });
    expect(v.errors).toEqual({ total: 3, byStatus: { '502': 1, '503': 1 }, byCode: { timeout: 1 } });
    expect(v.replicas).toEqual({ a: 2, b: 1 });
  });

  it('counts switches after a failover and back', () => {
    const v = computeVerdict(['a', 'a', 'b', 'b', 'a'].map((r, i) => rec(i + 1, r)));
    expect(v).toMatchObject({ firstBreakAt: 3, switches: 2 });
  });

  it('judges each protocol lane against the replica its own session started on', () => {
    const onLane = (lane: number) => ({ protocol: { phase: 'post' as const, lane, session: `s${lane}`, outcome: 'ok' as const, answer: 'ok' } });
    const sticky = ['a', 'b', 'c', 'a', 'b', 'c'].map((r, i) => rec(i + 1, r, onLane((i % 3) + 1)));
    const v = computeVerdict(sticky);
    expect(v).toMatchObject({ status: 'pass', firstReplica: 'a', firstBreakAt: null, switches: 0 });
    expect(evaluateExpectation(v, 'sticky').message).toBe('sticky: every session kept to the replica it started on (6 identified responses)');
    // Lane 2 started on b; its third request reached c.
    const broken = computeVerdict([...sticky, rec(7, 'a', onLane(1)), rec(8, 'c', onLane(2))]);
    expect(broken).toMatchObject({ status: 'fail', firstBreakAt: 8, firstReplica: 'b', firstBreakReplica: 'c', switches: 1 });
  });

  it('is inconclusive with fewer than two identified successes', () => {
    expect(computeVerdict([rec(1, 'a')]).status).toBe('inconclusive');
    expect(computeVerdict(sequence([], 5).map((r) => ({ ...r, replica: null }))).status).toBe('inconclusive');
  });
});

describe('expectations', () => {
  it('sticky and spread', () => {
    const rr = computeVerdict(sequence(['a', 'b'], 10));
    const pinned = computeVerdict(sequence(['a'], 10));
    expect(evaluateExpectation(pinned, 'sticky').holds).toBe(true);
    expect(evaluateExpectation(rr, 'sticky')).toMatchObject({ holds: false, message: expect.stringMatching(/request 2 was answered by b instead of a/) });
    expect(evaluateExpectation(rr, 'spread').holds).toBe(true);
    expect(evaluateExpectation(pinned, 'spread').holds).toBe(false);
    expect(evaluateExpectation(computeVerdict([rec(1, 'a')]), 'spread').holds).toBe(false);
  });
});

describe('snapshot', () => {
  it('keeps a bounded number of windows for a long run, with exact totals', () => {
    const agg = new VerdictAggregator({ windows: 50 });
    const records = sequence(['a', 'b', 'c'], 10_000, (i) => ({ latencyMs: i % 2 ? 1 : 3 }));
    for (const r of records) agg.add(r);
    const s = agg.snapshot();
    expect(s.done).toBe(10_000);
    expect(s.windows.length).toBeGreaterThanOrEqual(50);
    expect(s.windows.length).toBeLessThanOrEqual(100);
    const sum = s.windows.reduce((n, w) => n + Object.values(w.counts).reduce((a, b) => a + b, 0), 0);
    expect(sum).toBe(10_000);
    expect(s.windows[0]!.fromIndex).toBe(1);
    expect(s.windows.at(-1)!.toIndex).toBe(10_000);
    expect(s.replicas.map((r) => r.id)).toEqual(['a', 'b', 'c']);
    expect(s.replicas[0]!.share).toBeCloseTo(1 / 3, 2);
  });

  it('shows shares moving between windows', () => {
    const agg = new VerdictAggregator({ windows: 4 });
    for (const r of [...sequence(['a'], 8), ...sequence(['b'], 8).map((r) => ({ ...r, index: r.index + 8 }))]) agg.add(r);
    const w = agg.snapshot().windows;
    expect(w[0]!.counts).toEqual({ a: expect.any(Number) });
    expect(w.at(-1)!.counts).toEqual({ b: expect.any(Number) });
  });

  it('gives latency quantiles per replica within a few percent', () => {
    const agg = new VerdictAggregator();
    for (let i = 1; i <= 1000; i++) agg.add(rec(i, i % 2 ? 'a' : 'b', { latencyMs: i % 2 ? i / 10 : 5 }));
    const [a, b] = agg.snapshot().latency;
    expect(a).toMatchObject({ replica: 'a', count: 500, minMs: 0.1, maxMs: 99.9 });
    expect(a!.p50Ms).toBeGreaterThan(47);
    expect(a!.p50Ms).toBeLessThan(53);
    expect(b!.p99Ms).toBeCloseTo(5, 0);
  });
});
