// What a failover did to one client: given a run's records and the moment an action hit the pinned replica, how many
// requests failed, how long until the next success, whether the balancer re-issued its cookie and where the client
// landed, and whether the app's session cookie survived. Pure; records in index order.
import type { ProbeRecord } from './types';
import { isSuccessful } from './verdict';

export type FailoverInput = {
  records: readonly ProbeRecord[];
  /** The last request that had completed when the action was sent: later indexes count as "after". */
  afterIndex: number;
  /** Ms since the run started when the action was sent (the records' `startedAt` scale). */
  atMs: number;
  /** App session cookies to follow; default: every cookie other than the balancer's stored before the action. */
  sessionCookies?: readonly string[];
};

export type FailoverOutcome =
  /** The pinned replica kept answering with the same balancer cookie: the action did not reach this client. */
  | 'unaffected'
  /** Requests failed or moved, then a request succeeded again. */
  | 'recovered'
  /** Requests failed until the end of the run. */
  | 'not-recovered'
  /** No successful, identified response before the action: nothing was pinned to compare with. */
  | 'no-baseline'
  /** The run ended before any request was sent after the action. */
  | 'no-data';

export type FailoverMeasurement = {
  outcome: FailoverOutcome;
  /** The replica that answered the last successful, identified response before the action. */
  pinnedReplica: string | null;
  /** Requests sent after the action. */
  requestsAfter: number;
  /** First request after the action that failed or went elsewhere. */
  disruptionAt: number | null;
  /** Failed requests (transport error, or a status outside 200–399) between the action and the recovery. */
  failedRequests: number;
  /** Failed requests after the action in all, including any after the recovery. */
  failedAfterAction: number;
  /** From the first failed request to the recovery; null when nothing failed. */
  failureWindow: { fromIndex: number; toIndex: number; fromMs: number; toMs: number } | null;
  /** The first successful response once the disruption began. */
  recovery: { index: number; replica: string | null } | null;
  /** From sending the action to the end of the recovering response. */
  timeToRecoveryMs: number | null;
  /** The replica of the first identified success from the recovery on. */
  repinnedTo: string | null;
  /** `repinnedTo` is another replica than `pinnedReplica`. */
  repinned: boolean;
  /** Null when no balancer cookie was seen in the run. */
  balancerCookie: {
    name: string;
    before: string | null;
    /** The value the balancer set after the action, when it differs from `before`. */
    after: string | null;
    reissued: boolean;
    reissuedAt: number | null;
  } | null;
  /** Null when no app session cookie was held before the action. Values are never copied: they are credentials. */
  session: {
    cookies: { name: string; survived: boolean | null; lostAt: number | null; how: 'replaced' | 'deleted' | null }[];
    /** Every followed cookie survived; null when no request succeeded after the action, so nothing could tell. */
    survived: boolean | null;
  } | null;
};

/** The balancer cookie's name and the value in use at the end of these records (set, else sent). */
function balancerValue(records: readonly ProbeRecord[], name: string): string | null {
  let value: string | null = null;
  for (const r of records) if (r.balancer?.name === name) value = r.balancer.set ?? r.balancer.sent ?? value;
  return value;
}

/** Cookie values the jar held after these records, by name, as the Set-Cookie outcomes say. */
function heldCookies(records: readonly ProbeRecord[]): Map<string, string> {
  const held = new Map<string, string>();
  for (const r of records) {
    for (const e of r.setCookies) {
      if (e.outcome === 'stored' || e.outcome === 'updated') held.set(e.name, e.value);
      else if (e.outcome === 'deleted') held.delete(e.name);
    }
  }
  return held;
}

function balancerAfter(name: string, before: string | null, after: readonly ProbeRecord[]): NonNullable<FailoverMeasurement['balancerCookie']> {
  for (const r of after) {
    const set = r.balancer?.name === name ? r.balancer.set : null;
    if (set !== null && set !== before) return { name, before, after: set, reissued: true, reissuedAt: r.index };
  }
  return { name, before, after: null, reissued: false, reissuedAt: null };
}

function sessionAfter(
  names: readonly string[],
  held: Map<string, string>,
  after: readonly ProbeRecord[],
  anySuccessAfter: boolean,
): FailoverMeasurement['session'] {
  const followed = names.filter((n) => held.has(n));
  if (followed.length === 0) return null;
  const cookies = followed.map((name) => {
    const before = held.get(name);
    for (const r of after) {
      for (const e of r.setCookies) {
        if (e.name !== name) continue;
        if (e.outcome === 'deleted') return { name, survived: false, lostAt: r.index, how: 'deleted' as const };
        if ((e.outcome === 'stored' || e.outcome === 'updated') && e.value !== before) {
          return { name, survived: false, lostAt: r.index, how: 'replaced' as const };
        }
      }
    }
    return { name, survived: anySuccessAfter ? true : null, lostAt: null, how: null };
  });
  const survived = cookies.some((c) => c.survived === false) ? false : cookies.every((c) => c.survived === true) ? true : null;
  return { cookies, survived };
}

export function measureFailover(input: FailoverInput): FailoverMeasurement {
  const before = input.records.filter((r) => r.index <= input.afterIndex);
  const after = input.records.filter((r) => r.index > input.afterIndex);

  let pinnedReplica: string | null = null;
  for (const r of before) if (isSuccessful(r) && r.replica !== null) pinnedReplica = r.replica;

  const balancerName = input.records.find((r) => r.balancer !== null)?.balancer?.name ?? null;
  const balancerCookie = balancerName === null ? null : balancerAfter(balancerName, balancerValue(before, balancerName), after);
  const held = heldCookies(before);
  const sessionNames = input.sessionCookies ?? [...held.keys()].filter((n) => n !== balancerName);
  const session = sessionAfter(sessionNames, held, after, after.some(isSuccessful));
  const failedAfterAction = after.filter((r) => !isSuccessful(r)).length;

  const base: FailoverMeasurement = {
    outcome: 'unaffected',
    pinnedReplica,
    requestsAfter: after.length,
    disruptionAt: null,
    failedRequests: 0,
    failedAfterAction,
    failureWindow: null,
    recovery: null,
    timeToRecoveryMs: null,
    repinnedTo: null,
    repinned: false,
    balancerCookie,
    session,
  };
  if (after.length === 0) return { ...base, outcome: 'no-data' };
  if (pinnedReplica === null) return { ...base, outcome: 'no-baseline' };

  const reissuedAt = balancerCookie?.reissuedAt ?? null;
  const disrupted = (r: ProbeRecord) => !isSuccessful(r) || (r.replica !== null && r.replica !== pinnedReplica) || r.index === reissuedAt;
  const start = after.findIndex(disrupted);
  if (start === -1) return base;

  const rest = after.slice(start);
  const recoveryAt = rest.findIndex(isSuccessful);
  const windowRecords = recoveryAt === -1 ? rest : rest.slice(0, recoveryAt);
  const failures = windowRecords.filter((r) => !isSuccessful(r));
  const firstFailure = failures[0];
  const lastFailure = failures[failures.length - 1];
  const disruption = { ...base, disruptionAt: rest[0]!.index, failedRequests: failures.length };

  if (recoveryAt === -1) {
    const end = lastFailure ? lastFailure.startedAt + lastFailure.latencyMs : 0;
    return {
      ...disruption,
      outcome: 'not-recovered',
      failureWindow: firstFailure && lastFailure ? { fromIndex: firstFailure.index, toIndex: lastFailure.index, fromMs: firstFailure.startedAt, toMs: end } : null,
    };
  }
  const recovery = rest[recoveryAt]!;
  const recoveredAtMs = recovery.startedAt + recovery.latencyMs;
  const repinnedTo = rest.slice(recoveryAt).find((r) => isSuccessful(r) && r.replica !== null)?.replica ?? null;
  return {
    ...disruption,
    outcome: 'recovered',
    failureWindow:
      firstFailure && lastFailure ? { fromIndex: firstFailure.index, toIndex: lastFailure.index, fromMs: firstFailure.startedAt, toMs: recoveredAtMs } : null,
    recovery: { index: recovery.index, replica: recovery.replica },
    timeToRecoveryMs: Math.max(0, recoveredAtMs - input.atMs),
    repinnedTo,
    repinned: repinnedTo !== null && repinnedTo !== pinnedReplica,
  };
}
