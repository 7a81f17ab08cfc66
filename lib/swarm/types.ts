// Our own shapes for what the Swarm reader returns. Raw Docker API types stay inside lib/swarm.

export type SwarmNode = {
  id: string;
  hostname: string;
  role: 'manager' | 'worker' | 'unknown';
  availability: string;
  state: string;
  address: string | null;
  leader: boolean;
  engineVersion: string | null;
};

export type PublishedPort = {
  protocol: string;
  targetPort: number;
  publishedPort: number | null;
  publishMode: 'ingress' | 'host';
};

export type ServiceNetwork = { id: string; name: string | null };

export type SwarmService = {
  id: string;
  name: string;
  /** `com.docker.stack.namespace`, when deployed with `docker stack deploy`. */
  stack: string | null;
  mode: 'replicated' | 'global' | 'replicated-job' | 'global-job' | 'unknown';
  /** Desired replica count; null for global services (one per eligible node). */
  desiredReplicas: number | null;
  endpointMode: 'vip' | 'dnsrr';
  ports: PublishedPort[];
  networks: ServiceNetwork[];
  /** Virtual IPs per network (vip endpoint mode only), without prefix length. */
  virtualIps: { networkId: string; address: string }[];
  labels: Record<string, string>;
  /** The container image's or the spec's HEALTHCHECK is set (and not NONE). */
  hasHealthCheck: boolean;
  updateStatus: { state: string; message: string | null } | null;
  createdAt: string | null;
  updatedAt: string | null;
};

export type TaskAddress = { networkId: string; networkName: string | null; ip: string };

export type SwarmTask = {
  id: string;
  serviceId: string;
  slot: number | null;
  nodeId: string | null;
  state: string;
  desiredState: string;
  containerId: string | null;
  /** The task's container hostname after template expansion, when the spec sets one. */
  hostname: string | null;
  addresses: TaskAddress[];
  error: string | null;
  message: string | null;
  updatedAt: string | null;
};

export type SwarmNetwork = {
  id: string;
  name: string;
  driver: string | null;
  scope: string | null;
  ingress: boolean;
};

export type SwarmSnapshot = {
  engine: { version: string | null; apiVersion: string };
  nodes: SwarmNode[];
  services: SwarmService[];
  tasks: SwarmTask[];
  networks: SwarmNetwork[];
};
