import 'server-only';
// WebSockets the relay holds open for runs in the browser (a Shiny session lives as long as its socket). Each socket
// belongs to the run that opened it: its id is 128 random bits, and an id used by any other run is unknown there.
// A socket is closed by its run, by its server, or once its run has been silent (no relayed request, no socket call)
// for longer than any run waits between requests; never to make room for another run. Beyond the bounds (per run,
// in total) a new socket is refused with 503.
import { randomBytes } from 'node:crypto';
import { BusyError, NotFoundError } from '@/lib/errors';
import type { ProbeSocket } from '@/lib/probe/types';
import { RELAY_MAX_CONNECTIONS } from './schema';
import { lastRequestOf, RELAY_IDLE_CLOSE_MS } from './transports';

/** Sockets one run may hold: one per protocol lane, as many lanes as a run has relay connections. */
export const MAX_SOCKETS_PER_RUN = RELAY_MAX_CONNECTIONS;
/** Sockets the relay holds for all runs together. */
export const MAX_HELD_SOCKETS = 128;
/** A run silent this long loses its sockets: as long as the relay keeps its connections. */
export const SOCKET_IDLE_CLOSE_MS = RELAY_IDLE_CLOSE_MS;
/** How often silent runs are looked for while any socket is held. */
const SWEEP_EVERY_MS = 15_000;

type Held = { run: string; socket: ProbeSocket; lastUsed: number; receiving: boolean };
type Registry = {
  held: Map<string, Held>;
  /** Opens under way, counted against the bounds so a burst cannot overshoot them. */
  opening: Map<string, number>;
  sweeper: ReturnType<typeof setInterval> | null;
};

const globalForSockets = globalThis as unknown as { stickyscopeRelaySockets?: Registry };

function registry(): Registry {
  // On globalThis so a dev-server reload does not strand open sockets.
  globalForSockets.stickyscopeRelaySockets ??= { held: new Map(), opening: new Map(), sweeper: null };
  return globalForSockets.stickyscopeRelaySockets;
}

function countOf(r: Registry, run: string): number {
  let n = r.opening.get(run) ?? 0;
  for (const h of r.held.values()) if (h.run === run) n++;
  return n;
}

function totalOf(r: Registry): number {
  let n = r.held.size;
  for (const k of r.opening.values()) n += k;
  return n;
}

/** Closes the sockets of runs silent for longer than `SOCKET_IDLE_CLOSE_MS`; a receive in progress counts as talk. */
export function closeSilentSockets(now = Date.now()): number {
  const r = registry();
  let closed = 0;
  for (const [id, h] of r.held) {
    if (h.receiving) continue;
    const last = Math.max(h.lastUsed, lastRequestOf(h.run, now) ?? 0);
    if (now - last <= SOCKET_IDLE_CLOSE_MS) continue;
    r.held.delete(id);
    void h.socket.close();
    closed++;
  }
  stopSweepingWhenEmpty(r);
  return closed;
}

function stopSweepingWhenEmpty(r: Registry): void {
  if (r.held.size === 0 && r.sweeper !== null) {
    clearInterval(r.sweeper);
    r.sweeper = null;
  }
}

function sweepWhileHeld(r: Registry): void {
  if (r.sweeper !== null) return;
  r.sweeper = setInterval(() => closeSilentSockets(), SWEEP_EVERY_MS);
  r.sweeper.unref?.();
}

/** A place for one socket of `run`, held while it opens: `hold` it once open, `release` it when the open failed. */
export type SocketTicket = { hold(socket: ProbeSocket): string; release(): void };

export function reserveSocket(run: string, now = Date.now()): SocketTicket {
  const r = registry();
  closeSilentSockets(now);
  if (countOf(r, run) >= MAX_SOCKETS_PER_RUN) {
    throw new BusyError(`this run holds its limit of ${MAX_SOCKETS_PER_RUN} WebSockets at the relay already; close one before opening another`);
  }
  if (totalOf(r) >= MAX_HELD_SOCKETS) {
    throw new BusyError(`the relay holds its limit of ${MAX_HELD_SOCKETS} WebSockets for all runs; start this run again when one of them has ended`);
  }
  r.opening.set(run, (r.opening.get(run) ?? 0) + 1);
  let done = false;
  const settle = () => {
    if (done) return false;
    done = true;
    const left = (r.opening.get(run) ?? 1) - 1;
    if (left > 0) r.opening.set(run, left);
    else r.opening.delete(run);
    return true;
  };
  return {
    hold(socket) {
      if (!settle()) throw new Error('a socket ticket is used once');
      const id = randomBytes(16).toString('base64url');
      r.held.set(id, { run, socket, lastUsed: Date.now(), receiving: false });
      sweepWhileHeld(r);
      return id;
    },
    release() {
      settle();
    },
  };
}

const UNKNOWN = 'the relay holds no such socket for this run: it was closed (by the run, by its server, or after the run fell silent) or never opened by this run';

function find(run: string, id: string): Held {
  const h = registry().held.get(id);
  // Another run's socket answers exactly like a missing one.
  if (!h || h.run !== run) throw new NotFoundError('socket-not-found', UNKNOWN);
  h.lastUsed = Date.now();
  return h;
}

/** Runs `use` on the socket `id` of `run`; throws `NotFoundError` when the run holds no such socket. */
export function withSocket<T>(run: string, id: string, use: (socket: ProbeSocket) => Promise<T>): Promise<T> {
  return use(find(run, id).socket);
}

/** As `withSocket`, marked as receiving until `use` settles: a silent run's sweep leaves it open meanwhile. */
export async function receiveOn<T>(run: string, id: string, use: (socket: ProbeSocket) => Promise<T>): Promise<T> {
  const h = find(run, id);
  if (h.receiving) throw new BusyError('a receive is already waiting on this socket; one at a time');
  h.receiving = true;
  try {
    return await use(h.socket);
  } finally {
    h.receiving = false;
    h.lastUsed = Date.now();
  }
}

/** Closes and forgets the socket `id` of `run`; throws `NotFoundError` when the run holds no such socket. */
export async function closeSocket(run: string, id: string): Promise<void> {
  const h = find(run, id);
  const r = registry();
  r.held.delete(id);
  stopSweepingWhenEmpty(r);
  await h.socket.close();
}

/** Sockets held in all, for `run`, and with a receive waiting (tests, diagnostics). */
export function heldSocketCounts(run?: string): { total: number; run: number; receiving: number } {
  const r = registry();
  const receiving = [...r.held.values()].filter((h) => h.receiving).length;
  return { total: r.held.size, run: run === undefined ? 0 : countOf(r, run), receiving };
}

/** Closes every held socket (tests, shutdown). */
export async function closeHeldSockets(): Promise<void> {
  const r = registry();
  const all = [...r.held.values()];
  r.held.clear();
  stopSweepingWhenEmpty(r);
  await Promise.all(all.map((h) => h.socket.close()));
}
