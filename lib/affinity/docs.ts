// Traefik (and Docker) documentation pages the findings link to.
export const docs = {
  sticky: 'https://doc.traefik.io/traefik/routing/services/#sticky-sessions',
  healthCheck: 'https://doc.traefik.io/traefik/routing/services/#health-check',
  swarmProvider: 'https://doc.traefik.io/traefik/routing/providers/swarm/',
  // The lbswarm and network labels are described on the provider's routing page.
  swarmLabels: 'https://doc.traefik.io/traefik/routing/providers/swarm/',
  routerService: 'https://doc.traefik.io/traefik/routing/routers/#service',
  migrationV1: 'https://doc.traefik.io/traefik/migration/v1-to-v2/',
  swarmIngress: 'https://docs.docker.com/engine/swarm/ingress/',
} as const;
