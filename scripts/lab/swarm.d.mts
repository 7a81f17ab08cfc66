// Types for swarm.mjs, so TypeScript callers (vitest global setup, Playwright) get checked imports.

export type LabServiceDefinition = {
  name: string;
  replicas: number;
  /** 'host', or the lab's overlay network name. */
  network: string;
  /** More overlay networks to attach the tasks to (created by the lab). */
  extraNetworks?: string[];
  /** Host-network tasks listen on 127.0.0.1:(basePort + slot); null on the overlay. */
  basePort: number | null;
  labels: Record<string, string>;
  /** Extra `docker service create` arguments. */
  args: string[];
  /** Hostname template; defaults to `app-{{.Task.Slot}}`. */
  hostname?: string;
  /**
   * What the tasks run: `whoami` (default, busybox httpd) or `shiny` (the host's R serving scripts/lab/shiny/app.R
   * through read-only bind mounts; host network only). A service whose runtime is missing here is not started.
   */
  runtime?: 'whoami' | 'shiny';
};

export type LabService = {
  name: string;
  replicas: number;
  network: string;
  /** `network` followed by the extra networks, in attach order. */
  networks: string[];
  labels: Record<string, string>;
  endpointMode: 'vip' | 'dnsrr';
  /** app-1 .. app-n, by slot. */
  hostnames: string[];
  /** One URL per slot for host-network services, reachable from the host; empty on the overlay. */
  urls: string[];
};

export type SwarmLab = {
  dir: string;
  dockerHost: string;
  apiVersion: string;
  services: LabService[];
  stop(): Promise<void>;
};

export type PlainDockerd = {
  dockerHost: string;
  /** Join the swarm whose manager is `managerDockerHost` as a worker; resolves to a function that leaves again. */
  joinAsWorker(managerDockerHost: string): Promise<() => Promise<void>>;
  stop(): Promise<void>;
};

export const DEFAULT_LAB_DIR: string;
export const LAB_IMAGE: string;
export const LAB_OVERLAY: string;
export const LAB_OVERLAY_EXTRA: string;
export const LAB_LABEL: string;
export const labServices: LabServiceDefinition[];

/** What a lab service offers the host: its hostnames and, on the host network, one URL per slot. */
export function describeLabService(def: LabServiceDefinition): LabService;
export function startSwarmLab(options?: { dir?: string; services?: LabServiceDefinition[] }): Promise<SwarmLab>;
export function startPlainDockerd(options: { dir: string }): Promise<PlainDockerd>;
export function startDockerd(options: { dir: string; name?: string }): Promise<{ dockerHost: string; socketPath: string; apiVersion: string; pid: number }>;
export function stopLabDir(dir: string, options?: { leaveSwarm?: boolean }): Promise<void>;
