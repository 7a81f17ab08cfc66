import { describe, expect, it } from 'vitest';
import { sharedRead } from './cache';

/** A read whose results the test hands out one at a time. */
function controlledRead() {
  const pending: ((value: number) => void)[] = [];
  let calls = 0;
  const read = () => {
    calls += 1;
    return new Promise<number>((resolve) => pending.push(resolve));
  };
  return { read, calls: () => calls, resolveNext: (value: number) => pending.shift()!(value) };
}

describe('sharedRead', () => {
  it('shares one in-flight read and caches its value for the ttl', async () => {
    let now = 0;
    const source = controlledRead();
    const get = sharedRead(source.read, 1000, () => now);
    const a = get();
    const b = get();
    source.resolveNext(1);
    expect(await a).toBe(1);
    expect(await b).toBe(1);
    expect(source.calls()).toBe(1);
    now = 999;
    expect(await get()).toBe(1);
    now = 1000;
    const c = get();
    source.resolveNext(2);
    expect(await c).toBe(2);
    expect(source.calls()).toBe(2);
  });

  it('reads afresh right after an invalidation, well within the ttl', async () => {
    const source = controlledRead();
    const get = sharedRead(source.read, 60_000, () => 0);
    const first = get();
    source.resolveNext(1);
    await first;
    get.invalidate();
    const second = get();
    source.resolveNext(2);
    expect(await second).toBe(2);
    expect(await get()).toBe(2);
    expect(source.calls()).toBe(2);
  });

  it('does not cache a read that was under way when the cache was invalidated', async () => {
    const source = controlledRead();
    const get = sharedRead(source.read, 60_000, () => 0);
    const stale = get();
    get.invalidate();
    const fresh = get();
    expect(source.calls()).toBe(2);
    source.resolveNext(1);
    expect(await stale).toBe(1);
    source.resolveNext(2);
    expect(await fresh).toBe(2);
    expect(await get()).toBe(2);
    expect(source.calls()).toBe(2);
  });
});
