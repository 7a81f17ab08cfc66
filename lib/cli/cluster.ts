import { getConfig } from '@/lib/env';
import { readTopology } from '@/lib/topology/read';
import type { Topology } from '@/lib/topology/types';

export async function readConfiguredTopology(): Promise<Topology> {
  const cluster = getConfig().clusters[0];
  if (!cluster) throw new Error('no cluster configured');
  return readTopology(cluster);
}

/** Why the cluster could not be read, or null when Docker answered. */
export function unreadableReason(topology: Topology): string | null {
  const { docker } = topology.sources;
  if (docker.status === 'ok') return null;
  return docker.message ?? 'Docker could not be read';
}
