// Our own shapes for Traefik state, whether read from its API or derived from Swarm labels.

export type StickyCookie = {
  /** Null when no name is configured and Traefik generates one; see `defaultCookieName`. */
  name: string | null;
  secure: boolean;
  httpOnly: boolean;
  sameSite: string | null;
  maxAge: number | null;
  path: string | null;
  domain: string | null;
};

export type TraefikRouter = {
  /** Qualified name as the API shows it, e.g. `web@swarm`; label-derived routers get the provider `labels`. */
  name: string;
  provider: string | null;
  rule: string;
  hosts: string[];
  pathPrefixes: string[];
  entryPoints: string[];
  tls: boolean;
  /** Qualified service name this router sends to. */
  service: string;
  priority: number | null;
  status: string | null;
};

export type TraefikServer = { url: string; status: 'UP' | 'DOWN' | null; weight: number | null };

export type TraefikService = {
  name: string;
  provider: string | null;
  kind: 'loadbalancer' | 'weighted' | 'mirroring' | 'failover' | 'unknown';
  servers: TraefikServer[];
  sticky: StickyCookie | null;
  hasHealthCheck: boolean;
  /** Child services of weighted/mirroring/failover services. */
  children: { name: string; weight: number | null }[];
  usedBy: string[];
  status: string | null;
};

export type TraefikEntryPoint = { name: string; address: string | null };

export type TraefikSnapshot = {
  origin: 'api' | 'labels';
  version: string | null;
  entryPoints: TraefikEntryPoint[];
  routers: TraefikRouter[];
  services: TraefikService[];
};

/** What the `traefik.*` labels of one Swarm service say, before any API is consulted. */
export type LabelConfig = {
  enabled: boolean | null;
  routers: TraefikRouter[];
  services: TraefikService[];
  /** `traefik.docker.network` / `traefik.swarm.network`. */
  network: string | null;
  /** `traefik.docker.lbswarm` / `traefik.swarm.lbswarm`. */
  lbswarm: boolean;
  /** `loadbalancer.server.port` per label-defined service name. */
  serverPorts: Record<string, number>;
  /** Traefik v1 labels that v2/v3 ignore, verbatim. */
  v1Labels: { key: string; value: string }[];
  /** `...loadbalancer.sticky=true` with no `.cookie` sub-key: enables nothing. */
  stickyWithoutCookie: string[];
  /** Labels that could not be understood, with the reason. */
  problems: { key: string; value: string; reason: string }[];
};
