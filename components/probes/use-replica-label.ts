'use client';

import { useMemo } from 'react';
import type { ReplicaMatch } from '@/lib/topology/replica-map';

function labeler(lookup: (replica: string) => ReplicaMatch | null): (replica: string) => string {
  const memo = new Map<string, string>();
  return (replica) => {
    let l = memo.get(replica);
    if (l === undefined) {
      const m = lookup(replica);
      l = m?.task ? (m.task.taskName === replica ? replica : `${m.task.taskName} · ${replica}`) : replica;
      memo.set(replica, l);
    }
    return l;
  };
}

/**
 * A replica's label: its Swarm task name when the topology knows it. The function keeps its identity while the labels
 * of `replicas` stay the same, so the charts drawn with it are not redrawn on every topology refresh.
 */
export function useReplicaLabel(lookup: (replica: string) => ReplicaMatch | null, replicas: readonly string[]): (replica: string) => string {
  const fresh = useMemo(() => labeler(lookup), [lookup]);
  const signature = replicas.map(fresh).join('\n');
  // The labels decide, not the lookup they came from.
  return useMemo(() => fresh, [signature]);
}
