import { describe, expect, it } from 'vitest';
import { niceTicks } from './chart-ticks';

describe('niceTicks', () => {
  it('picks round steps inside the range', () => {
    expect(niceTicks(0, 10_000)).toEqual([0, 5000, 10_000]);
    expect(niceTicks(0, 10_000, 6)).toEqual([0, 2000, 4000, 6000, 8000, 10_000]);
    expect(niceTicks(0, 30)).toEqual([0, 10, 20, 30]);
    expect(niceTicks(1, 7)).toEqual([2, 4, 6]);
    expect(niceTicks(0, 0.7)).toEqual([0, 0.2, 0.4, 0.6]);
  });

  it('gives one tick for an empty or unusable range', () => {
    expect(niceTicks(0, 0)).toEqual([0]);
    expect(niceTicks(5, 1)).toEqual([5]);
    expect(niceTicks(Number.NaN, 3)).toEqual([0]);
  });
});
