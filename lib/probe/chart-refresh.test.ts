import { describe, expect, it } from 'vitest';
import { ChartRefreshRotation } from './chart-refresh';

describe('ChartRefreshRotation', () => {
  it('redraws one changed chart per pick, in turn, and none once all are current', () => {
    const r = new ChartRefreshRotation(['lanes', 'share', 'cookies'] as const);
    const v = { lanes: 1, share: 1, cookies: 0 };
    expect([r.pick(v), r.pick(v), r.pick(v), r.pick(v)]).toEqual(['lanes', 'share', 'cookies', null]);
    v.lanes = 2;
    v.share = 2;
    expect(r.pick(v)).toBe('lanes');
    v.lanes = 3;
    // share waited longer, so it goes before lanes again.
    expect([r.pick(v), r.pick(v), r.pick(v)]).toEqual(['share', 'lanes', null]);
  });
});
