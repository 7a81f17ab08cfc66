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

/**
 * How a label-derived server's network was chosen. Traefik looks the network label up by exact name and,
 * failing that or without a label, takes whichever attached network Go's map iteration yields first.
 * - `label`: the network label named an attached network exactly.
 * - `label-missing-prefix`: only `<stack>_<label>` is attached; Traefik will not find it and picks any network.
 * - `label-not-found`: the label names no attached network; Traefik picks any network.
 * - `only`: no label and exactly one candidate network.
 * - `arbitrary`: no label and several candidate networks; Traefik may pick another one.
 * - `vip`: lbswarm, the service's virtual IP.
 */
export type NetworkChoice = 'label' | 'label-missing-prefix' | 'label-not-found' | 'only' | 'arbitrary' | 'vip';

export type TraefikServer = {
  url: string;
  status: 'UP' | 'DOWN' | null;
  weight: number | null;
  /** Label-derived servers only: the Swarm task behind this URL (null for an lbswarm VIP). */
  taskId?: string | null;
  /** Label-derived servers only: the network whose address was used. */
  network?: string | null;
  networkChoice?: NetworkChoice;
};

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
  /**
   * Load-balancing strategy when Traefik reports one (`wrr`, `p2c`, `hrw`, `leasttime`), or `hrw` for a
   * highestRandomWeight service (kind `unknown`). Traefik's hrw balancer ignores sticky cookies.
   */
  strategy?: string | null;
};

export type TraefikEntryPoint = { name: string; address: string | null };

export type TraefikSnapshot = {
  origin: 'api' | 'labels';
  version: string | null;
  entryPoints: TraefikEntryPoint[];
  routers: TraefikRouter[];
  services: TraefikService[];
  /** Provider names from `/api/overview`, when it answered (e.g. `Docker`, `Swarm`). */
  providers?: string[];
  /** Things that were skipped or guessed while reading, for a person to see. */
  warnings?: string[];
  /** Label-derived snapshots only: the warnings above, by Swarm service name. */
  serviceWarnings?: Record<string, string[]>;
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
  /** `loadbalancer.server.scheme` per label-defined service name, when set (Traefik's default is `http`). */
  serverSchemes?: Record<string, string>;
};
