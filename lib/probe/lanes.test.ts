import { describe, expect, it } from 'vitest';
import { FAILED_LANE, LaneAggregator, toLaneView, UNIDENTIFIED_LANE, type LaneSegment } from './lanes';

type Rec = { index: number; replica: string | null; status: number | null; error: { code: 'refused'; message: string } | null };
const rec = (index: number, replica: string | null, status: number | null = 200, error: Rec['error'] = null): Rec => ({ index, replica, status, error });
const refused = { code: 'refused' as const, message: 'x' };

/** Every request a segment list accounts for, per lane. */
function counted(segments: LaneSegment[]): number {
  return segments.reduce((n, s) => n + s.count, 0);
}

describe('LaneAggregator', () => {
  it('gives one column per request for short runs, replicas first, pseudo lanes after', () => {
    const v = toLaneView([rec(1, null, null, refused), rec(2, 'a'), rec(3, 'b', 503), rec(4, null)]);
    expect(v.lanes).toEqual(['a', 'b', FAILED_LANE, UNIDENTIFIED_LANE]);
    expect(v.stride).toBe(1);
    expect(v.segments).toEqual([
      { lane: 2, kind: 'error', firstColumn: 0, lastColumn: 0, fromIndex: 1, toIndex: 1, count: 1 },
      { lane: 0, kind: 'ok', firstColumn: 1, lastColumn: 1, fromIndex: 2, toIndex: 2, count: 1 },
      { lane: 1, kind: 'http-error', firstColumn: 2, lastColumn: 2, fromIndex: 3, toIndex: 3, count: 1 },
      { lane: 3, kind: 'ok', firstColumn: 3, lastColumn: 3, fromIndex: 4, toIndex: 4, count: 1 },
    ]);
  });

  it('draws a sticky 10,000-request run as one segment and a round robin as one per replica', () => {
    const sticky = new LaneAggregator({ total: 10_000, columns: 100 });
    const roundRobin = new LaneAggregator({ total: 10_000, columns: 100 });
    for (let i = 1; i <= 10_000; i++) {
      sticky.add(rec(i, 'a'));
      roundRobin.add(rec(i, ['a', 'b', 'c'][i % 3]!));
    }
    expect(sticky.view().segments).toEqual([{ lane: 0, kind: 'ok', firstColumn: 0, lastColumn: 99, fromIndex: 1, toIndex: 10_000, count: 10_000 }]);
    const rr = roundRobin.view();
    expect(rr.stride).toBe(100);
    expect(rr.segments).toHaveLength(3);
    expect(rr.segments.every((s) => s.firstColumn === 0 && s.lastColumn === 99)).toBe(true);
    expect(counted(rr.segments)).toBe(10_000);
  });

  it('never draws more segments than columns per lane, whatever the pattern', () => {
    const lanes = new LaneAggregator({ total: 10_000, columns: 50 });
    // A replica that answers in every other column only, and fails now and then.
    for (let i = 1; i <= 10_000; i++) {
      const column = Math.floor((i - 1) / 200);
      lanes.add(rec(i, column % 2 === 0 && i % 7 === 0 ? 'b' : 'a', i % 97 === 0 ? 502 : 200));
    }
    const v = lanes.view();
    for (let lane = 0; lane < v.lanes.length; lane++) expect(v.segments.filter((s) => s.lane === lane).length).toBeLessThanOrEqual(50);
    expect(counted(v.segments)).toBe(10_000);
  });

  it('keeps the worst status of a column: a late error splits that column off its segment', () => {
    const lanes = new LaneAggregator({ total: 30, columns: 10 });
    for (let i = 1; i <= 8; i++) lanes.add(rec(i, 'a', i === 8 ? 502 : 200));
    expect(lanes.view().segments).toEqual([
      { lane: 0, kind: 'ok', firstColumn: 0, lastColumn: 1, fromIndex: 1, toIndex: 6, count: 6 },
      { lane: 0, kind: 'http-error', firstColumn: 2, lastColumn: 2, fromIndex: 7, toIndex: 8, count: 2 },
    ]);
    lanes.add(rec(9, 'a'));
    lanes.add(rec(10, 'a'));
    // A better status later in the column does not undo it; the next column starts afresh.
    expect(lanes.view().segments.map((s) => [s.kind, s.firstColumn, s.lastColumn, s.count])).toEqual([
      ['ok', 0, 1, 6],
      ['http-error', 2, 2, 3],
      ['ok', 3, 3, 1],
    ]);
  });

  it('turns a one-column segment worse in place', () => {
    const v = toLaneView([rec(1, 'a'), rec(2, 'a', 500), rec(3, 'a')], { total: 3, columns: 1 });
    expect(v.segments).toEqual([{ lane: 0, kind: 'http-error', firstColumn: 0, lastColumn: 0, fromIndex: 1, toIndex: 3, count: 3 }]);
  });

  it('hands out the same view object until the next record', () => {
    const lanes = new LaneAggregator({ total: 10 });
    lanes.add(rec(1, 'a'));
    const first = lanes.view();
    expect(lanes.view()).toBe(first);
    lanes.add(rec(2, 'a'));
    expect(lanes.view()).not.toBe(first);
    expect(lanes.view().segments[0]!.count).toBe(2);
  });

  it('is empty for no records', () => {
    expect(toLaneView([])).toEqual({ lanes: [], segments: [], stride: 1, columns: 1, total: 1 });
  });
});
