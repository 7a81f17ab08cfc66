// Types for haproxy.mjs, so TypeScript callers (integration tests, the bench) get checked imports.

export type HaproxyLabReplica = {
  /** replica-1 .. replica-n: what the replica prints as `X-Replica` and `Hostname:`. */
  name: string;
  /** The value HAProxy's `SRV` cookie carries for this server. */
  cookie: string;
  port: number;
  url: string;
};

export type HaproxyLab = {
  dir: string;
  /** `SRV`. */
  cookieName: string;
  replicas: HaproxyLabReplica[];
  frontends: { sticky: number; roundRobin: number; secure: number; stickyNoUpgrade: number; roundRobinNoUpgrade: number };
  /** `http://127.0.0.1:PORT/` per frontend. */
  urls: { sticky: string; roundRobin: string; secure: string; stickyNoUpgrade: string; roundRobinNoUpgrade: string };
  /** HAProxy Runtime API (`level admin`). */
  statsSocket: string;
  /** Sends one Runtime API command, e.g. `show servers state` or `set server be_sticky/replica-1 state drain`. */
  command(command: string): Promise<string>;
  stop(): Promise<void>;
};

/** The argv (program first) that starts one replica serving HTTP on `port`; it must answer `GET /<readyPath>` with 200. */
export type ReplicaCommand = (replica: { name: string; port: number }) => string[];

export type StartHaproxyLabOptions = {
  /** Working folder for the config, logs, pids and socket. Default `.lab/haproxy`. */
  dir?: string;
  /** Default 3. */
  replicas?: number;
  /** Default: scripts/lab/replica.mjs (`nodeReplica('replica.mjs')`). */
  replicaCommand?: ReplicaCommand;
  /** Variables added to every replica's environment. */
  replicaEnv?: Record<string, string>;
  /** Path (no leading slash) that answers 200 once a replica, and each frontend, is ready. Default `healthz`. */
  readyPath?: string;
  /** Stop the lab on SIGINT, SIGTERM and exit of this process. Default true. */
  handleSignals?: boolean;
  /** Leave the processes running when this process exits (the `up` command). Default false. */
  detach?: boolean;
  /** Replicas answer pages of any origin through CORS, cookies included (replica.mjs --cors). Default false. */
  cors?: boolean;
};

export const DEFAULT_HAPROXY_LAB_DIR: string;
export const HAPROXY_BIN: string;
export const LAB_COOKIE: string;

/** Starts one of the Node scripts in scripts/lab (`replica.mjs`, `socketio-replica.mjs`, `session-replica.mjs`). */
export function nodeReplica(script: string): ReplicaCommand;
export function startHaproxyLab(options?: StartHaproxyLabOptions): Promise<HaproxyLab>;
export function stopHaproxyLab(dir?: string): Promise<boolean>;
export function haproxyCommand(socketPath: string, command: string, timeoutMs?: number): Promise<string>;
