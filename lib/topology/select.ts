import type { TopologyService } from './types';

/** A service where affinity matters: it is routed by Traefik and has (or wants) more than one replica. */
export function affinityMatters(service: TopologyService): boolean {
  const replicas = Math.max(service.replicas.running, service.replicas.desired ?? 0);
  return replicas > 1 && service.routers.length > 0;
}

export function routerHosts(service: TopologyService): string[] {
  return [...new Set(service.routers.flatMap((r) => r.hosts))];
}
