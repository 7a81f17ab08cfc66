import { queryOptions } from '@tanstack/react-query';
import type { Topology } from '@/lib/topology/types';
import { fetchJson } from './fetch-json';
import { queryKeys } from './keys';

export function topologyOptions(refetchIntervalMs: number) {
  return queryOptions({
    queryKey: queryKeys.topology,
    queryFn: () => fetchJson<Topology>('/api/topology'),
    refetchInterval: refetchIntervalMs,
    staleTime: Math.min(refetchIntervalMs, 2000),
  });
}
