import 'server-only';

type Entry<T> = { value?: T; at: number; inFlight?: Promise<T>; generation: number };

export type SharedRead<T> = {
  (): Promise<T>;
  /** Drops the cached value; the next call reads afresh, and a read already under way is not cached. */
  invalidate(): void;
};

/**
 * A tiny read-through cache: callers within `ttlMs` share one result, and concurrent
 * callers share one in-flight read, so many polling tabs cost one Docker round trip.
 */
export function sharedRead<T>(read: () => Promise<T>, ttlMs: number, clock: () => number = Date.now): SharedRead<T> {
  const entry: Entry<T> = { at: 0, generation: 0 };
  const get = async function get(): Promise<T> {
    if (entry.value !== undefined && clock() - entry.at < ttlMs) return entry.value;
    if (entry.inFlight) return entry.inFlight;
    // A read that began before an invalidation may have seen the old state: it answers its own callers only.
    const generation = entry.generation;
    const inFlight = read()
      .then((value) => {
        if (entry.generation === generation) {
          entry.value = value;
          entry.at = clock();
        }
        return value;
      })
      .finally(() => {
        if (entry.inFlight === inFlight) entry.inFlight = undefined;
      });
    entry.inFlight = inFlight;
    return inFlight;
  } as SharedRead<T>;
  get.invalidate = () => {
    entry.generation += 1;
    entry.value = undefined;
    entry.inFlight = undefined;
  };
  return get;
}
