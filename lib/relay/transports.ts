import 'server-only';
// The relay's open transports: one per run and destination, so a run's requests reuse its own keep-alive
// connections and nothing else's. A transport is only ever closed when it has nothing in flight and its run has been
// silent for longer than any run waits between requests; another client's traffic can neither reach it nor push it
// out. When every slot holds a live run, a new run is refused (503) rather than one of them cut off.
import { BusyError } from '@/lib/errors';
import { hostPortKey } from '@/lib/net/host-key';
import type { ResolveOverride } from '@/lib/probe/resolve';
import { PROBE_LIMITS } from '@/lib/probe/spec';
import { createNodeTransport, type NodeTransport } from '@/lib/probe/transport-node';

/** Runs the relay serves at once; each holds at most `RELAY_MAX_CONNECTIONS` sockets. */
export const MAX_RELAY_TRANSPORTS = 64;
/** Silence after which a run's transport is closed: longer than the longest interval a run may wait. */
export const RELAY_IDLE_CLOSE_MS = PROBE_LIMITS.maxIntervalMs + 30_000;

export type Destination = {
  run: string;
  origin: string;
  resolve: readonly ResolveOverride[];
  timeoutMs: number;
  insecureTls: boolean;
  connections: number;
  allowAddress: (address: string) => boolean;
};

type Held = { run: string; transport: NodeTransport; inFlight: number; lastUsed: number };
type Pool = Map<string, Held>;

const globalForRelay = globalThis as unknown as { stickyscopeRelayTransports?: Pool };

function pool(): Pool {
  // On globalThis so a dev-server reload does not strand open sockets.
  globalForRelay.stickyscopeRelayTransports ??= new Map();
  return globalForRelay.stickyscopeRelayTransports;
}

function keyOf(d: Destination): string {
  const overrides = d.resolve.map((r) => `${hostPortKey(r.host, r.port)}=${r.address}`).sort();
  return JSON.stringify([d.run, d.origin, overrides, d.insecureTls, d.timeoutMs, d.connections]);
}

function closeSilent(all: Pool, now: number): void {
  for (const [key, held] of all) {
    if (held.inFlight === 0 && now - held.lastUsed > RELAY_IDLE_CLOSE_MS) {
      all.delete(key);
      void held.transport.close();
    }
  }
}

function acquire(d: Destination, now: number): Held {
  const all = pool();
  const key = keyOf(d);
  const hit = all.get(key);
  if (hit) return hit;
  closeSilent(all, now);
  if (all.size >= MAX_RELAY_TRANSPORTS) {
    throw new BusyError(`the relay is serving its limit of ${MAX_RELAY_TRANSPORTS} runs at once; start this run again when one of them has ended`);
  }
  const held: Held = {
    run: d.run,
    transport: createNodeTransport({
      resolve: d.resolve,
      timeoutMs: d.timeoutMs,
      insecureTls: d.insecureTls,
      connections: d.connections,
      allowAddress: d.allowAddress,
    }),
    inFlight: 0,
    lastUsed: now,
  };
  all.set(key, held);
  return held;
}

/** Runs `use` with the run's transport for this destination, counted as in flight until it settles. */
export async function withRunTransport<T>(d: Destination, use: (transport: NodeTransport) => Promise<T>): Promise<T> {
  const held = acquire(d, Date.now());
  held.inFlight++;
  try {
    return await use(held.transport);
  } finally {
    held.inFlight--;
    held.lastUsed = Date.now();
  }
}

/**
 * When `run` last sent a request through the relay: now while one is in flight, null when it has none open. A run's
 * held sockets (./sockets.ts) stay open as long as the run talks, whichever way.
 */
export function lastRequestOf(run: string, now = Date.now()): number | null {
  let last: number | null = null;
  for (const held of pool().values()) {
    if (held.run !== run) continue;
    if (held.inFlight > 0) return now;
    last = Math.max(last ?? 0, held.lastUsed);
  }
  return last;
}

/** How many transports are open, and how many of them have requests in flight (tests, diagnostics). */
export function relayTransportCounts(): { open: number; busy: number } {
  const all = [...pool().values()];
  return { open: all.length, busy: all.filter((h) => h.inFlight > 0).length };
}

/** Closes every transport (tests, shutdown). */
export async function closeRelayTransports(): Promise<void> {
  const all = pool();
  const held = [...all.values()];
  all.clear();
  await Promise.all(held.map((h) => h.transport.close()));
}
