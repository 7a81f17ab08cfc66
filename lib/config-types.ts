// Shapes of validated configuration, free of runtime imports so any module may use them.

export type DockerConnection = {
  /** `unix:///path/to/docker.sock`, `tcp://host:port` or `npipe://...` as the Docker CLI reads DOCKER_HOST. */
  host: string;
  tls: { verify: boolean; certPath: string } | null;
  timeoutMs: number;
};

export type TraefikConnection = {
  url: string;
  auth: { type: 'basic'; username: string; password: string } | { type: 'bearer'; token: string } | null;
  timeoutMs: number;
  /** Largest response body accepted from the API, in bytes. */
  maxBodyBytes: number;
};

export type ClusterConfig = {
  id: string;
  name: string;
  docker: DockerConnection | null;
  traefik: TraefikConnection | null;
};
