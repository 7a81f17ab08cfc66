// Replica names on report pages: the Swarm task behind an identity when the report's topology snapshot knows it,
// as the live Probe page shows them. Plain functions, usable on the server and in the browser.
import type { TopologyService } from '@/lib/topology/types';
import { buildReplicaIndex, type ReplicaMatch } from '@/lib/topology/replica-map';

export function replicaLookup(service: TopologyService | null): (replica: string) => ReplicaMatch | null {
  return buildReplicaIndex({ services: service ? [service] : [] }, { preferServiceIds: service ? [service.id] : [] });
}

/** `shop_web.2 · app-2` when the identity maps to a task, the identity alone otherwise. */
export function replicaLabeler(lookup: (replica: string) => ReplicaMatch | null): (replica: string) => string {
  return (replica) => {
    const task = lookup(replica)?.task;
    if (!task) return replica;
    return task.taskName === replica ? replica : `${task.taskName} · ${replica}`;
  };
}
