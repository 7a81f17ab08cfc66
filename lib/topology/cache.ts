import 'server-only';

type Entry<T> = { value?: T; at: number; inFlight?: Promise<T> };

/**
 * A tiny read-through cache: callers within `ttlMs` share one result, and concurrent
 * callers share one in-flight read, so many polling tabs cost one Docker round trip.
 */
export function sharedRead<T>(read: () => Promise<T>, ttlMs: number, clock: () => number = Date.now) {
  const entry: Entry<T> = { at: 0 };
  return async function get(): Promise<T> {
    if (entry.value !== undefined && clock() - entry.at < ttlMs) return entry.value;
    entry.inFlight ??= read()
      .then((value) => {
        entry.value = value;
        entry.at = clock();
        return value;
      })
      .finally(() => {
        entry.inFlight = undefined;
      });
    return entry.inFlight;
  };
}
