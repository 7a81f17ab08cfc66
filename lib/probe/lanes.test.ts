import { describe, expect, it } from 'vitest';
import { FAILED_LANE, toLaneView, UNIDENTIFIED_LANE } from './lanes';

const rec = (index: number, replica: string | null, status: number | null = 200, error: { code: 'refused'; message: string } | null = null) => ({
  index,
  replica,
  status,
  error,
});

describe('toLaneView', () => {
  it('gives one point per request for short runs, replicas first, pseudo lanes after', () => {
    const v = toLaneView([rec(1, null, null, { code: 'refused', message: 'x' }), rec(2, 'a'), rec(3, 'b', 503), rec(4, null)]);
    expect(v.lanes).toEqual(['a', 'b', FAILED_LANE, UNIDENTIFIED_LANE]);
    expect(v.stride).toBe(1);
    expect(v.points).toEqual([
      { fromIndex: 1, toIndex: 1, lane: 2, kind: 'error', count: 1 },
      { fromIndex: 2, toIndex: 2, lane: 0, kind: 'ok', count: 1 },
      { fromIndex: 3, toIndex: 3, lane: 1, kind: 'http-error', count: 1 },
      { fromIndex: 4, toIndex: 4, lane: 3, kind: 'ok', count: 1 },
    ]);
  });

  it('keeps a 10,000-request run under the point budget and never loses the worst status in a bucket', () => {
    const records = Array.from({ length: 10_000 }, (_, i) => rec(i + 1, i % 3 === 0 ? 'a' : i % 3 === 1 ? 'b' : 'c', i === 5000 ? 502 : 200));
    const v = toLaneView(records, 1000);
    expect(v.points.length).toBeLessThanOrEqual(1000);
    expect(v.points.reduce((n, p) => n + p.count, 0)).toBe(10_000);
    expect(v.points.some((p) => p.kind === 'http-error' && p.fromIndex <= 5001 && p.toIndex >= 5001)).toBe(true);
  });

  it('is empty for no records', () => {
    expect(toLaneView([])).toEqual({ lanes: [], points: [], stride: 1 });
  });
});
