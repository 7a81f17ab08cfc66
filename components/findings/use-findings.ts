'use client';

import { useMemo } from 'react';
import { evaluateTopology } from '@/lib/affinity/evaluate';
import type { Topology } from '@/lib/topology/types';

/** Findings are a pure function of the topology, so the page derives them from the topology it already polls. */
export function useFindings(topology: Topology | undefined) {
  return useMemo(() => (topology ? evaluateTopology(topology) : []), [topology]);
}
