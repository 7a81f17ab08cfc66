import 'server-only';
import { getConfig } from '@/lib/env';
import { readLabTopology } from '@/lib/lab';
import { sharedRead } from './cache';
import { readTopology } from './read';
import type { Topology } from './types';

const globalForTopology = globalThis as unknown as { stickyscopeTopology?: () => Promise<Topology> };

/** The current topology of the configured cluster (or of the embedded demo lab), shared by every request for a second or two. */
export function getTopology(): Promise<Topology> {
  globalForTopology.stickyscopeTopology ??= sharedRead(() => {
    if (getConfig().lab) return readLabTopology();
    const cluster = getConfig().clusters[0];
    if (!cluster) throw new Error('No cluster configured');
    return readTopology(cluster);
  }, 1500);
  return globalForTopology.stickyscopeTopology();
}
