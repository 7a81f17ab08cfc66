// The merged model served by GET /api/topology. Carries only JSON-safe values (ISO strings, numbers).
import type { PublishedPort, SwarmNode } from '@/lib/swarm/types';
import type { StickyCookie, TraefikRouter, LabelConfig } from '@/lib/traefik/types';

export type SourceStatus = {
  status: 'ok' | 'error' | 'off';
  message?: string;
  ms: number;
};

export type TopologyTask = {
  id: string;
  slot: number | null;
  state: string;
  desiredState: string;
  node: string | null;
  containerId: string | null;
  hostname: string | null;
  addresses: string[];
  networks: { name: string | null; ip: string }[];
  error: string | null;
};

export type TopologyServer = {
  url: string;
  status: 'UP' | 'DOWN' | null;
  /** The running task this server URL points at, or null when none does. */
  taskId: string | null;
};

export type TopologyService = {
  id: string;
  name: string;
  stack: string | null;
  replicas: { desired: number | null; running: number };
  endpointMode: 'vip' | 'dnsrr';
  mode: string;
  ports: PublishedPort[];
  networks: (string | null)[];
  labels: Record<string, string>;
  hasHealthCheck: boolean;
  tasks: TopologyTask[];
  routers: TraefikRouter[];
  /** Qualified Traefik service name(s) these routers and servers come from. */
  traefikServices: string[];
  sticky: StickyCookie | null;
  /** Where `sticky` and `servers` come from: the live API, or the service's labels. */
  traefikOrigin: 'api' | 'labels' | null;
  traefikHealthCheck: boolean;
  servers: TopologyServer[];
  /** Running tasks that no Traefik server URL points at (only meaningful when servers are known). */
  unroutedTaskIds: string[];
  labelConfig: LabelConfig;
  /** The labels' view, kept beside the API's so disagreements can be reported. */
  labelSticky: StickyCookie | null;
};

export type Topology = {
  generatedAt: string;
  sources: {
    docker: SourceStatus & { engineVersion?: string; apiVersion?: string };
    traefik: SourceStatus & { version?: string; origin?: 'api' | 'labels' };
  };
  nodes: SwarmNode[];
  services: TopologyService[];
  /** Traefik services with servers that match no Swarm service (other providers, stale entries). */
  unmatchedTraefikServices: { name: string; servers: TopologyServer[] }[];
};
