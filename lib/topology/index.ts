import 'server-only';
import { getConfig } from '@/lib/env';
import { readLabTopology } from '@/lib/lab';
import { mergeLabTopology } from '@/lib/lab/topology';
import { sharedRead, type SharedRead } from './cache';
import { readTopology } from './read';
import { topologySources } from './sources';
import type { Topology } from './types';

const globalForTopology = globalThis as unknown as { stickyscopeTopology?: SharedRead<Topology>; stickyscopeTopologyGeneration?: number };

async function readConfiguredTopology(): Promise<Topology> {
  const sources = topologySources(getConfig());
  if (!sources.lab) return readTopology(sources.cluster);
  if (!sources.cluster) return readLabTopology();
  const [cluster, lab] = await Promise.all([readTopology(sources.cluster), readLabTopology()]);
  return mergeLabTopology(cluster, lab);
}

function topologyCache(): SharedRead<Topology> {
  globalForTopology.stickyscopeTopology ??= sharedRead(readConfiguredTopology, 1500);
  return globalForTopology.stickyscopeTopology;
}

/** The current topology of the configured cluster and/or the embedded demo lab, shared by every request for a second or two. */
export function getTopology(): Promise<Topology> {
  return topologyCache()();
}

/** Counts invalidations, so a cache of something derived from the topology (the relay allowlist) can tell it is out of date. */
export function topologyGeneration(): number {
  return globalForTopology.stickyscopeTopologyGeneration ?? 0;
}

/** After a change stickyscope made itself (a lab label edit): the next read sees it, without waiting for the cache. */
export function invalidateTopology(): void {
  globalForTopology.stickyscopeTopologyGeneration = topologyGeneration() + 1;
  topologyCache().invalidate();
}
