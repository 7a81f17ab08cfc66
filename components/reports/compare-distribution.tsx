'use client';

import { useMemo } from 'react';
import { ChartBarDistribution } from '@/components/charts/chart-bar-distribution';
import type { ProbeSnapshot } from '@/lib/probe/types';
import type { TopologyService } from '@/lib/topology/types';
import { replicaLabeler, replicaLookup } from './replica-label';

export function CompareDistribution({ snapshot, service }: { snapshot: ProbeSnapshot; service: TopologyService | null }) {
  const label = useMemo(() => replicaLabeler(replicaLookup(service)), [service]);
  return snapshot.replicas.length ? <ChartBarDistribution snapshot={snapshot} label={label} /> : <p className="text-sm text-slate-500">No replica was identified.</p>;
}
