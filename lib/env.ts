// The only place that reads process.env. Parsed once, with messages a person can act on.
import { existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { z } from 'zod';
import type { ClusterConfig, DockerConnection, TraefikConnection } from './config-types';
import { ALLOWED_TARGETS_SETTING, parseTargetList, type TargetEntry } from './relay/allowlist';
import { parseExperimentServices, parseRuntimeApiAddress, type ExperimentsConfig } from './experiments/config';
import { parseCidrList } from './net/address';
import { parseBaseUrlSetting, type WebConfig } from './web/config';
import { parseHostList } from './web/site';

const DEFAULT_DOCKER_SOCKET = '/var/run/docker.sock';

const flag = z
  .enum(['1', '0', 'true', 'false', 'yes', 'no', 'on', 'off', ''])
  .transform((v) => ['1', 'true', 'yes', 'on'].includes(v));

function isPostgresUrl(value: string): boolean {
  try {
    const url = new URL(value);
    // A socket folder may stand in the `host` query parameter instead of the authority, as libpq allows.
    return (url.protocol === 'postgres:' || url.protocol === 'postgresql:') && (url.hostname !== '' || url.searchParams.has('host'));
  } catch {
    return false;
  }
}

const port = z.coerce.number({ error: 'must be a port number 1–65535' }).int('must be a port number 1–65535').min(1, 'must be a port number 1–65535').max(65535, 'must be a port number 1–65535');

/** A base URL setting (`https://host[:port]`), kept in its canonical spelling. */
const baseUrl = (example: string) =>
  z
    .string()
    .optional()
    .transform((raw, ctx) => {
      if (raw === undefined) return null;
      const parsed = parseBaseUrlSetting(raw, example);
      if (typeof parsed === 'string') ctx.addIssue({ code: 'custom', message: parsed });
      return typeof parsed === 'string' ? null : parsed.url;
    });

const positiveMs = (fallback: number) =>
  z.coerce.number().int().positive().max(3_600_000).default(fallback);

/** Entries of one comma-separated setting: a list typed by a person, far from this; more is a pasted file. */
const MAX_LIST_ENTRIES = 1000;

/** A comma-separated setting whose parser names each bad entry, at most `MAX_LIST_ENTRIES` of them. */
const commaList = <T>(parse: (raw: string) => { entries: T[]; issues: string[] }) =>
  z
    .string()
    .max(MAX_LIST_ENTRIES * 300)
    .refine((raw) => raw.split(',').length <= MAX_LIST_ENTRIES, `at most ${MAX_LIST_ENTRIES} comma-separated entries`)
    .default('')
    .transform((raw, ctx) => {
      const { entries, issues } = parse(raw);
      for (const message of issues) ctx.addIssue({ code: 'custom', message });
      return entries;
    });

const envSchema = z.object({
  DOCKER_HOST: z
    .string()
    .trim()
    .regex(/^(unix|tcp|npipe|ssh):\/\/./, 'must look like unix:///var/run/docker.sock or tcp://host:2376')
    .optional(),
  DOCKER_TLS_VERIFY: flag.optional(),
  DOCKER_CERT_PATH: z.string().trim().min(1).optional(),
  STICKYSCOPE_DOCKER: z.enum(['auto', 'off']).default('auto'),
  TRAEFIK_API_URL: z
    .url({ protocol: /^https?$/, error: 'must be an http(s) URL such as http://traefik:8080' })
    .optional(),
  TRAEFIK_API_USERNAME: z.string().optional(),
  TRAEFIK_API_PASSWORD: z.string().optional(),
  TRAEFIK_API_TOKEN: z.string().min(1).optional(),
  STICKYSCOPE_REFRESH_MS: positiveMs(5000),
  STICKYSCOPE_SOURCE_TIMEOUT_MS: positiveMs(5000),
  STICKYSCOPE_LAB: flag.optional(),
  STICKYSCOPE_CLUSTER_NAME: z.string().trim().min(1).default('default'),
  /** SQLite file for stored reports; relative paths resolve against the working directory. */
  STICKYSCOPE_DB_PATH: z.string().trim().min(1).default('./data/stickyscope.db'),
  /** PostgreSQL for stored reports instead of the SQLite file. The value holds a password: never echo it. */
  DATABASE_URL: z
    .string()
    .trim()
    .refine(isPostgresUrl, 'must be a PostgreSQL URL such as postgres://user:password@db:5432/stickyscope (postgres:// or postgresql://)')
    .optional(),
  [ALLOWED_TARGETS_SETTING]: commaList(parseTargetList),
  STICKYSCOPE_EXPERIMENTS: flag.default(false),
  STICKYSCOPE_EXPERIMENT_SERVICES: commaList(parseExperimentServices),
  PORT: port.default(3000),
  STICKYSCOPE_PUBLIC_URL: baseUrl('https://stickyscope.example.com'),
  STICKYSCOPE_ALLOWED_HOSTS: commaList(parseHostList),
  STICKYSCOPE_SHARE_PORT: port.optional(),
  STICKYSCOPE_SHARE_URL: baseUrl('https://share.stickyscope.example.com'),
  STICKYSCOPE_TRUSTED_PROXIES: commaList(parseCidrList),
  HAPROXY_RUNTIME_API: z
    .string()
    .trim()
    .optional()
    .transform((raw, ctx) => {
      if (raw === undefined) return null;
      const address = parseRuntimeApiAddress(raw);
      if (typeof address === 'string') ctx.addIssue({ code: 'custom', message: address });
      return typeof address === 'string' ? null : address;
    }),
});

export type AppConfig = {
  clusters: ClusterConfig[];
  refreshIntervalMs: number;
  /** Hosts the probe relay may fetch besides Traefik router hosts (`STICKYSCOPE_ALLOWED_TARGETS`). */
  allowedTargets: TargetEntry[];
  /** SQLite file holding stored probe reports (`STICKYSCOPE_DB_PATH`). */
  reportsDbPath: string;
  /** PostgreSQL holding stored probe reports instead of SQLite (`DATABASE_URL`); null for SQLite. */
  databaseUrl: string | null;
  /** Run the embedded demo lab: alone when unset and no cluster is configured, beside a cluster with `STICKYSCOPE_LAB=1`. */
  lab: boolean;
  /** Failover experiments: off unless `STICKYSCOPE_EXPERIMENTS=1`, and then only on the services named. */
  experiments: ExperimentsConfig;
  /** Where the dashboard listens and is reached, and whom it believes about client addresses. */
  web: WebConfig;
};

export class ConfigError extends Error {
  constructor(readonly issues: string[]) {
    super(`Invalid configuration:\n${issues.map((i) => `  - ${i}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

type Env = Record<string, string | undefined>;

function blankToUndefined(source: Env): Env {
  return Object.fromEntries(Object.entries(source).map(([k, v]) => [k, v === '' ? undefined : v]));
}

export function parseConfig(source: Env, fileExists: (p: string) => boolean = existsSync): AppConfig {
  const parsed = envSchema.safeParse(blankToUndefined(source));
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((i) => `${i.path.join('.') || 'environment'}: ${i.message}`));
  }
  const env = parsed.data;
  const timeoutMs = env.STICKYSCOPE_SOURCE_TIMEOUT_MS;

  const issues: string[] = [];
  if (env.TRAEFIK_API_TOKEN && (env.TRAEFIK_API_USERNAME || env.TRAEFIK_API_PASSWORD)) {
    issues.push('TRAEFIK_API_TOKEN and TRAEFIK_API_USERNAME/PASSWORD are exclusive: set one kind of auth');
  }
  if (Boolean(env.TRAEFIK_API_USERNAME) !== Boolean(env.TRAEFIK_API_PASSWORD)) {
    issues.push('TRAEFIK_API_USERNAME and TRAEFIK_API_PASSWORD go together');
  }
  if (env.DOCKER_HOST?.startsWith('ssh://')) {
    issues.push('DOCKER_HOST: ssh:// is not supported; use a unix socket, tcp:// or a Docker socket proxy');
  }
  if (env.STICKYSCOPE_EXPERIMENTS && env.STICKYSCOPE_EXPERIMENT_SERVICES.length === 0) {
    issues.push(
      'STICKYSCOPE_EXPERIMENT_SERVICES: name the services experiments may act on (comma-separated names or globs such as web-*) when STICKYSCOPE_EXPERIMENTS=1',
    );
  }
  if (env.STICKYSCOPE_SHARE_URL && env.STICKYSCOPE_SHARE_PORT === undefined) {
    issues.push('STICKYSCOPE_SHARE_URL is the share listener\'s public URL: set STICKYSCOPE_SHARE_PORT too');
  }
  if (env.STICKYSCOPE_SHARE_PORT === env.PORT) {
    issues.push(`STICKYSCOPE_SHARE_PORT must differ from PORT (${env.PORT}): the share listener is a separate port`);
  }
  if (issues.length > 0) throw new ConfigError(issues);

  const docker = dockerConnection(env, source, timeoutMs, fileExists);
  const traefik = traefikConnection(env, timeoutMs);
  return {
    refreshIntervalMs: env.STICKYSCOPE_REFRESH_MS,
    allowedTargets: env[ALLOWED_TARGETS_SETTING],
    reportsDbPath: env.STICKYSCOPE_DB_PATH,
    databaseUrl: env.DATABASE_URL ?? null,
    lab: env.STICKYSCOPE_LAB ?? (!docker && !traefik),
    experiments: {
      enabled: env.STICKYSCOPE_EXPERIMENTS,
      services: env.STICKYSCOPE_EXPERIMENT_SERVICES,
      haproxyRuntimeApi: env.HAPROXY_RUNTIME_API,
    },
    web: {
      port: env.PORT,
      publicUrl: env.STICKYSCOPE_PUBLIC_URL,
      allowedHosts: env.STICKYSCOPE_ALLOWED_HOSTS,
      sharePort: env.STICKYSCOPE_SHARE_PORT ?? null,
      shareUrl: env.STICKYSCOPE_SHARE_URL,
      trustedProxies: env.STICKYSCOPE_TRUSTED_PROXIES,
    },
    clusters: [
      {
        id: 'default',
        name: env.STICKYSCOPE_CLUSTER_NAME,
        docker,
        traefik,
      },
    ],
  };
}

function dockerConnection(
  env: z.infer<typeof envSchema>,
  source: Env,
  timeoutMs: number,
  fileExists: (p: string) => boolean,
): DockerConnection | null {
  if (env.STICKYSCOPE_DOCKER === 'off') return null;
  // Like the Docker CLI, fall back to the default socket, but only when it exists:
  // a machine without Docker is "no cluster configured", not an error.
  const host = env.DOCKER_HOST ?? (fileExists(DEFAULT_DOCKER_SOCKET) ? `unix://${DEFAULT_DOCKER_SOCKET}` : null);
  if (!host) return null;
  const certPath = env.DOCKER_CERT_PATH ?? path.join(source.HOME ?? os.homedir(), '.docker');
  const tls = env.DOCKER_TLS_VERIFY || env.DOCKER_CERT_PATH ? { verify: env.DOCKER_TLS_VERIFY ?? false, certPath } : null;
  return { host, tls: host.startsWith('tcp://') ? tls : null, timeoutMs };
}

function traefikConnection(env: z.infer<typeof envSchema>, timeoutMs: number): TraefikConnection | null {
  if (!env.TRAEFIK_API_URL) return null;
  const url = new URL(env.TRAEFIK_API_URL);
  let auth: TraefikConnection['auth'] = null;
  if (env.TRAEFIK_API_TOKEN) auth = { type: 'bearer', token: env.TRAEFIK_API_TOKEN };
  else if (env.TRAEFIK_API_USERNAME && env.TRAEFIK_API_PASSWORD) {
    auth = { type: 'basic', username: env.TRAEFIK_API_USERNAME, password: env.TRAEFIK_API_PASSWORD };
  } else if (url.username) {
    auth = { type: 'basic', username: decodeURIComponent(url.username), password: decodeURIComponent(url.password) };
  }
  url.username = '';
  url.password = '';
  const base = url.toString().replace(/\/+$/, '').replace(/\/api$/, '');
  return { url: base, auth, timeoutMs, maxBodyBytes: 8 * 1024 * 1024 };
}

let cached: AppConfig | undefined;

/** The validated configuration of this process; throws ConfigError on bad settings. */
export function getConfig(): AppConfig {
  cached ??= parseConfig(process.env);
  return cached;
}
