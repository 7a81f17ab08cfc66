import { describe, expect, it } from 'vitest';
import { toCookieMarks } from './cookie-marks';
import type { CookieTimelineEvent } from './types';

const ev = (index: number, name: string, kind: CookieTimelineEvent['kind'], detail: string | null = null): CookieTimelineEvent => ({ index, atMs: index, name, kind, detail });

describe('toCookieMarks', () => {
  it('keeps every event of a short run as its own mark, one lane per cookie', () => {
    const v = toCookieMarks([ev(1, 'SRV', 'set', 'Path=/'), ev(2, 'SRV', 'first-sent'), ev(2, 'sid', 'set')], { total: 10 });
    expect(v.names).toEqual(['SRV', 'sid']);
    expect(v.stride).toBe(1);
    expect(v.marks).toEqual([
      { lane: 0, kind: 'set', column: 0, fromIndex: 1, toIndex: 1, count: 1, detail: 'Path=/' },
      { lane: 0, kind: 'first-sent', column: 1, fromIndex: 2, toIndex: 2, count: 1, detail: null },
      { lane: 1, kind: 'set', column: 1, fromIndex: 2, toIndex: 2, count: 1, detail: null },
    ]);
  });

  it('folds a cookie rewritten on every one of 10,000 responses into one mark per column', () => {
    const events = Array.from({ length: 10_000 }, (_, i) => ev(i + 1, 'SRV', 'changed', `r${i % 3} → r${(i + 1) % 3}`));
    const v = toCookieMarks(events, { total: 10_000, columns: 100 });
    expect(v.marks).toHaveLength(100);
    expect(v.marks.reduce((n, m) => n + m.count, 0)).toBe(10_000);
    expect(v.marks[1]).toMatchObject({ column: 1, fromIndex: 101, toIndex: 200, count: 100, detail: 'r1 → r2' });
  });
});
