import { getConfig } from '@/lib/env';
import { readTopology } from '@/lib/topology/read';
import type { Topology } from '@/lib/topology/types';
import { DASHBOARD_SETTING } from './dashboard';
import type { TopologySummary } from './format-topology';

export async function readConfiguredTopology(): Promise<Topology> {
  const cluster = getConfig().clusters[0];
  if (!cluster) throw new Error('no cluster configured');
  return readTopology(cluster);
}

/** Why there is nothing to show (no cluster configured, or it could not be read), or null when there is. */
export function unreadableReason(sources: TopologySummary['sources'], fromDashboard: URL | null): string | null {
  const { docker, lab } = sources;
  if (docker.status === 'ok') return null;
  if (docker.status === 'error') return docker.message ?? 'Docker could not be read';
  if (lab?.status === 'ok') return null;
  if (lab) return `the demo lab is not running${lab.message ? `: ${lab.message}` : ''}`;
  if (fromDashboard) return `the dashboard at ${fromDashboard.href} has no cluster configured and no demo lab`;
  return `no cluster configured: set DOCKER_HOST to a Swarm manager, or read a running dashboard (its demo lab included) with --dashboard URL or ${DASHBOARD_SETTING}`;
}
