import 'server-only';
import { dehydrate } from '@tanstack/react-query';
import { getConfig } from '@/lib/env';
import { getTopology } from '@/lib/topology';
import { getQueryClient } from './query-client';
import { topologyOptions } from './topology';

/** Prefetches the topology on the server so the client query starts with data. */
export async function prefetchTopology() {
  const { refreshIntervalMs } = getConfig();
  const queryClient = getQueryClient();
  const topology = await getTopology();
  queryClient.setQueryData(topologyOptions(refreshIntervalMs).queryKey, topology);
  return { state: dehydrate(queryClient), topology, refreshIntervalMs };
}
