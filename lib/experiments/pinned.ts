// The task a run is pinned to, as far as experiments are concerned. Pure and client-safe.
import type { ProbeRecord } from '@/lib/probe/types';
import { isSuccessful } from '@/lib/probe/verdict';
import type { ReplicaMatch, ReplicaTask } from '@/lib/topology/replica-map';

/** The replica of the latest successful, identified response: the one the client is pinned to now. */
export function pinnedReplica(records: { readonly length: number; at(i: number): ProbeRecord | undefined }): string | null {
  for (let i = records.length - 1; i >= 0; i--) {
    const r = records.at(i);
    if (r && isSuccessful(r) && r.replica !== null) return r.replica;
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
