// When a `running` report stops being running without anyone saying so.
//
// Several dashboard processes may share one database behind a non-sticky balancer, so "the process that started
// this run has died" cannot be learnt from process memory or from start-up alone: a process starting must not end
// another one's live run. Instead every write to a run (create, each appended batch of records or experiments) stamps
// `last_activity_at`, and the stamp works as a lease:
//
//   - a `running` report whose stamp is older than the lease reads as `incomplete` everywhere, at once;
//   - writes to it are refused (`not-running`) and persist that status, so a late batch cannot revive a run whose
//     readers were already told it was cut short;
//   - `markIncompleteOnStartup` persists it for every lapsed run (any process may sweep; sweeping is idempotent).
//
// Waiting out the lease is only needed when the writer's fate is unknown. Each write also stamps its process as
// `host/pid`; a process starting on the same host marks at once the runs whose last writer no longer exists there
// (the common single-dashboard restart). A process elsewhere, or one whose pid was reused, falls back to the lease.
//
// A write renews the lease inside the same transaction that checks it (`UPDATE … WHERE last_activity_at >= …`), so a
// sweep racing an append either sees the renewed stamp or makes the append fail: never a swept run with new records.
// Stamps come from each process's clock; skew between dashboard hosts only has to be small next to the lease.
import { readFileSync } from 'node:fs';
import os from 'node:os';
import type { ReportStatus } from './schema';

export type RunWriter = { host: string; pid: number };

export function thisProcess(): RunWriter {
  return { host: os.hostname(), pid: process.pid };
}

export function formatWriter(writer: RunWriter): string {
  return `${writer.host}/${writer.pid}`;
}

export function parseWriter(text: string): RunWriter | null {
  const match = /^(.*)\/(\d+)$/.exec(text);
  return match?.[1] ? { host: match[1], pid: Number(match[2]) } : null;
}

/**
 * Signal 0 checks existence only (EPERM: it exists under another user). A killed process whose parent died too stays
 * a zombie until init reaps it, and some container inits never do: where /proc tells, a zombie counts as dead.
 */
export function processIsAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
    return state !== 'Z' && state !== 'X';
  } catch {
    return true;
  }
}

/**
 * Longer than the longest silence of a live run, so a live run needs no heartbeat: a probe starts a request at most
 * `maxIntervalMs` (60 s) after the last one and gives up on it after `maxTimeoutMs` (120 s) (PROBE_LIMITS in
 * lib/probe/spec.ts), so a record arrives at least every 180 s; the page's writer sends it after a short flush
 * delay and, when the network falters, waits about 16 s in all between retries. That leaves over a minute to spare.
 */
export const DEFAULT_RUN_LEASE_MS = 5 * 60_000;

/** The status readers see: a `running` report whose lease lapsed is `incomplete`. */
export function effectiveStatus(status: ReportStatus, lastActivityAt: number, staleBefore: number): ReportStatus {
  return status === 'running' && lastActivityAt < staleBefore ? 'incomplete' : status;
}
