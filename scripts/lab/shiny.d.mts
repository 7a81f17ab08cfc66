// Types for shiny.mjs, so TypeScript callers (integration tests, Playwright, the bench) get checked imports.
import type { HaproxyLab, ReplicaCommand } from './haproxy.mjs';

export type ShinyLab = HaproxyLab & {
  /**
   * `http://127.0.0.1:PORT/` for sticky and roundRobin; `http://shiny.lab.test:PORT/` for secure, a name that is not
   * loopback to a browser (reach it with `resolve` or `hostResolverRules`).
   */
  urls: { sticky: string; roundRobin: string; secure: string };
  /** `shiny.lab.test`. */
  secureHost: string;
  /** curl's `--resolve` entries (`host:port:address`), the probe's `resolve` too. */
  resolve: string[];
  /** Chromium's `--host-resolver-rules` value mapping `secureHost` to 127.0.0.1. */
  hostResolverRules: string;
};

export type StartShinyLabOptions = {
  /** Working folder for the config, logs, pids, socket and the R processes' files. Default `.lab/shiny`. */
  dir?: string;
  /** R processes. Default 3. */
  replicas?: number;
  /** Stop the lab on SIGINT, SIGTERM and exit of this process. Default true. */
  handleSignals?: boolean;
  /** Leave the processes running when this process exits (the `up` command). Default false. */
  detach?: boolean;
};

export const DEFAULT_SHINY_LAB_DIR: string;
export const RSCRIPT_BIN: string;
export const SECURE_HOST: string;
/** The folder holding app.R and serve.R. */
export const SHINY_APP_DIR: string;

/** True when R runs and loads Shiny and DT. */
export function rShinyInstalled(): boolean;

/** The argv of one R process serving scripts/lab/shiny/app.R. */
export const shinyReplica: ReplicaCommand;
export function startShinyLab(options?: StartShinyLabOptions): Promise<ShinyLab>;
export function stopShinyLab(dir?: string): Promise<boolean>;
