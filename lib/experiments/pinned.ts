// The task a run is pinned to, as far as experiments are concerned, and what each action did to the run. Pure and
// client-safe: the Probe page and the report payload use it.
import { measureFailover } from '@/lib/probe/failover';
import type { ProbeRecord } from '@/lib/probe/types';
import { isSuccessful } from '@/lib/probe/verdict';
import type { ReplicaMatch, ReplicaTask } from '@/lib/topology/replica-map';

import type { ExperimentEvent, MeasuredExperiment } from './types';

/** The replica of the latest successful, identified response: the one the client is pinned to now. */
export function pinnedReplica(records: readonly ProbeRecord[]): string | null {
  for (let i = records.length - 1; i >= 0; i--) {
    const r = records[i]!;
    if (isSuccessful(r) && r.replica !== null) return r.replica;
  }
  return null;
}

/** The one task of an allowed service the replica maps to; null when none or several do. */
export function allowedTask(match: ReplicaMatch | null, allowedServiceNames: readonly string[]): ReplicaTask | null {
  if (!match) return null;
  const candidates = match.task ? [match.task] : match.ambiguous;
  const allowed = candidates.filter((t) => allowedServiceNames.includes(t.serviceName));
  return allowed.length === 1 ? allowed[0]! : null;
}

/** Each action with what it did to this client; the measurement is null for an action that failed to run. */
export function measureExperiments(events: readonly ExperimentEvent[], records: readonly ProbeRecord[]): MeasuredExperiment[] {
  return events.map((e) => ({ ...e, measurement: e.ok ? measureFailover({ records, afterIndex: e.afterIndex, atMs: e.atMs }) : null }));
}

/**
 * The experiments of a run as a stored report carries them. The report schema (lib/reports/schema.ts) has no field
 * for them yet; this is the payload to attach once it has.
 */
export function toReportExperiments(events: readonly ExperimentEvent[], records: readonly ProbeRecord[]) {
  return { experiments: measureExperiments(events, records) };
}
