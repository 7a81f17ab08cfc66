// Which readers make up the topology. Pure, so the choice is testable without Docker or a lab.
import type { AppConfig } from '@/lib/env';
import type { ClusterConfig } from '@/lib/config-types';

export type TopologySources =
  | { cluster: ClusterConfig; lab: false }
  | { cluster: null; lab: true }
  | { cluster: ClusterConfig; lab: true };

/**
 * The lab stands in for a cluster when none is configured, and joins a configured one when asked for
 * (STICKYSCOPE_LAB=1). Without the lab, an unconfigured cluster is still read, so the page can say what to set.
 */
export function topologySources(config: Pick<AppConfig, 'lab' | 'clusters'>): TopologySources {
  const cluster = config.clusters[0] ?? null;
  const configured = cluster !== null && (cluster.docker !== null || cluster.traefik !== null);
  if (!config.lab) {
    if (!cluster) throw new Error('No cluster configured');
    return { cluster, lab: false };
  }
  return configured ? { cluster, lab: true } : { cluster: null, lab: true };
}
