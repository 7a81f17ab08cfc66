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
  /**
   * The service spec sets a health check (and not NONE). A HEALTHCHECK baked into the image is not
   * visible in the service spec, so false means "none declared on the service", not "none at all".
   */
  hasHealthCheck: boolean;
  /** Running and desired task counts as the engine reports them (API 1.41+); null on older engines. */
  taskCounts?: { running: number; desired: number } | null;
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
  // Fields added with the reader are optional so hand-written fixtures elsewhere still type-check;
  // readSwarm always sets them.
  /** When the engine was read, ISO 8601. */
  readAt?: string;
  /** `apiVersion` is the negotiated one we spoke; `nodeId` is the engine's own Swarm node. */
  engine: { version: string | null; apiVersion: string; nodeId?: string | null };
  nodes: SwarmNode[];
  services: SwarmService[];
  tasks: SwarmTask[];
  networks: SwarmNetwork[];
  /** Items skipped as unusable (e.g. a task without an ID), for a person to read. */
  warnings?: string[];
};
