'use client';

import { useQuery } from '@tanstack/react-query';
import { topologyOptions } from '@/lib/queries/topology';

export function useTopology(refreshMs: number) {
  return useQuery(topologyOptions(refreshMs));
}
