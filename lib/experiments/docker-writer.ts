import 'server-only';
// The only Docker client that may write, and only the calls failover experiments need. It exists only while
// experiments are enabled: the factory refuses otherwise, so the dashboard's own client (lib/swarm/client.ts) stays
// GET-only whatever happens here.
import http from 'node:http';
import https from 'node:https';
import { z } from 'zod';

import type { DockerConnection } from '@/lib/config-types';
import { SourceError } from '@/lib/errors';
import { negotiateApiVersion, networkError, parseDockerHost, readTlsFiles, statusError } from '@/lib/swarm/client';

import type { ExperimentsConfig } from './config';
import { ExperimentError, experimentsDisabled } from './errors';

type Method = 'GET' | 'POST';

const ID = '[A-Za-z0-9]{1,64}';

/** Every call this client can send: method, path and the query keys allowed on it. Nothing else leaves. */
const allowedCalls: readonly { method: Method; path: RegExp; query: readonly string[] }[] = [
  { method: 'GET', path: /^\/version$/, query: [] },
  { method: 'GET', path: /^\/info$/, query: [] },
  // Service inspect (for its spec and version), then update with that version: scale, scale back, force a restart.
  { method: 'GET', path: new RegExp(`^/services/${ID}$`), query: [] },
  { method: 'POST', path: new RegExp(`^/services/${ID}/update$`), query: ['version'] },
  // The task's own record, read fresh: its service, node, state and container.
  { method: 'GET', path: new RegExp(`^/tasks/${ID}$`), query: [] },
  // SIGKILL (the default signal) to the task's container, as a crash would.
  { method: 'POST', path: /^\/containers\/[0-9a-f]{12,64}\/kill$/, query: [] },
];

export function isAllowedExperimentCall(method: string, apiPath: string, query: Record<string, string> = {}): boolean {
  const rule = allowedCalls.find((c) => c.method === method && c.path.test(apiPath));
  return rule !== undefined && Object.keys(query).every((k) => rule.query.includes(k));
}

const loose = z.looseObject;
const rawService = loose({
  ID: z.string(),
  Version: loose({ Index: z.number().int() }),
  Spec: loose({
    Name: z.string(),
    Mode: loose({ Replicated: loose({ Replicas: z.number().int().optional() }).optional() }).optional(),
    TaskTemplate: loose({ ForceUpdate: z.number().int().optional() }).optional(),
  }),
});
const rawTask = loose({
  ID: z.string(),
  ServiceID: z.string(),
  NodeID: z.string().optional(),
  Slot: z.number().int().optional(),
  DesiredState: z.string().optional(),
  Status: loose({ State: z.string().optional(), ContainerStatus: loose({ ContainerID: z.string().optional() }).optional() }).optional(),
});
const rawInfo = loose({ Swarm: loose({ NodeID: z.string().optional() }).optional() });
const rawUpdate = loose({ Warnings: z.array(z.string()).nullish() }).nullish();

export type ServiceForUpdate = {
  id: string;
  name: string;
  version: number;
  /** Desired replicas; null for global services. */
  replicas: number | null;
  forceUpdate: number;
  /** The whole spec as the engine holds it: an update sends it back with one field changed. */
  spec: Record<string, unknown>;
};

export type TaskFacts = { id: string; serviceId: string; nodeId: string | null; slot: number | null; state: string; containerId: string | null };

export type ExperimentDocker = {
  readonly target: string;
  engineNodeId(): Promise<string | null>;
  inspectService(id: string): Promise<ServiceForUpdate | null>;
  inspectTask(id: string): Promise<TaskFacts | null>;
  updateService(service: ServiceForUpdate, spec: Record<string, unknown>): Promise<{ warnings: string[] }>;
  killContainer(containerId: string): Promise<void>;
};

function nullWhenNotFound(error: unknown): null {
  if (error instanceof SourceError && error.code === 'not-found') return null;
  throw error;
}

function parse<T>(schema: z.ZodType<T>, value: unknown, what: string, target: string): T {
  const r = schema.safeParse(value);
  if (!r.success) throw new SourceError('bad-response', `Docker at ${target} answered ${what} with an unexpected shape`);
  return r.data;
}

/** Refuses unless experiments are enabled; every call is checked against the list above before it is sent. */
export function createExperimentDocker(experiments: ExperimentsConfig, conn: DockerConnection | null): ExperimentDocker {
  if (!experiments.enabled) throw experimentsDisabled();
  if (!conn) throw new ExperimentError('experiment-unavailable', 'experiments act through the Docker API: set DOCKER_HOST to a Swarm manager');
  const { timeoutMs } = conn;
  const endpoint = parseDockerHost(conn.host, conn.tls !== null);
  const secure = endpoint.kind === 'tcp' && endpoint.protocol === 'https:';
  const tls = secure && conn.tls ? { ...readTlsFiles(conn.tls.certPath), rejectUnauthorized: conn.tls.verify } : {};

  function send(method: Method, fullPath: string, what: string, body: unknown): Promise<{ status: number; text: string }> {
    return new Promise((resolve, reject) => {
      const payload = body === undefined ? undefined : JSON.stringify(body);
      const headers: http.OutgoingHttpHeaders = { accept: 'application/json' };
      if (payload !== undefined) Object.assign(headers, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) });
      const base: https.RequestOptions = { method, path: fullPath, headers, agent: false, ...tls };
      const options = endpoint.kind === 'socket' ? { ...base, socketPath: endpoint.socketPath, host: 'docker' } : { ...base, hostname: endpoint.hostname, port: endpoint.port };
      const req = (secure ? https.request : http.request)(options, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          clearTimeout(timer);
          resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') });
        });
        res.on('error', (e: NodeJS.ErrnoException) => reject(networkError(e, endpoint, what)));
      });
      const timer = setTimeout(() => {
        req.destroy();
        reject(new SourceError('timeout', `Docker at ${endpoint.label} did not answer ${what} within ${timeoutMs} ms`));
      }, timeoutMs);
      req.on('error', (e: NodeJS.ErrnoException) => {
        clearTimeout(timer);
        reject(networkError(e, endpoint, what));
      });
      req.end(payload);
    });
  }

  let version: Promise<string> | null = null;
  const apiVersion = () => {
    version ??= send('GET', '/version', 'GET /version', undefined)
      .then(({ status, text }) => {
        if (status !== 200) throw statusError(status, text, endpoint, 'GET /version');
        const v = parse(loose({ ApiVersion: z.string(), MinAPIVersion: z.string().optional() }), JSON.parse(text), 'GET /version', endpoint.label);
        return negotiateApiVersion(v.ApiVersion, v.MinAPIVersion ?? null);
      })
      .catch((error: unknown) => {
        version = null;
        throw error;
      });
    return version;
  };

  /** Sends one allowed call; the parsed JSON, or null for an empty body. */
  async function call(method: Method, apiPath: string, query: Record<string, string> = {}, body?: unknown): Promise<unknown> {
    if (!isAllowedExperimentCall(method, apiPath, query)) {
      throw new Error(`refusing Docker API call ${method} ${apiPath}: not one the experiments need`);
    }
    const search = new URLSearchParams(query).toString();
    const what = `${method} ${apiPath}`;
    const { status, text } = await send(method, `/v${await apiVersion()}${apiPath}${search ? `?${search}` : ''}`, what, body);
    if (status < 200 || status >= 300) throw statusError(status, text, endpoint, what);
    try {
      return text.trim() ? JSON.parse(text) : null;
    } catch {
      throw new SourceError('bad-response', `Docker at ${endpoint.label} answered ${what} with something that is not JSON`);
    }
  }

  return {
    target: endpoint.label,
    async engineNodeId() {
      const info = parse(rawInfo, await call('GET', '/info'), 'GET /info', endpoint.label);
      return info.Swarm?.NodeID || null;
    },
    async inspectService(id) {
      const raw = await call('GET', `/services/${id}`).catch(nullWhenNotFound);
      if (raw === null) return null;
      const s = parse(rawService, raw, 'GET /services/{id}', endpoint.label);
      return {
        id: s.ID,
        name: s.Spec.Name,
        version: s.Version.Index,
        replicas: s.Spec.Mode?.Replicated ? (s.Spec.Mode.Replicated.Replicas ?? 1) : null,
        forceUpdate: s.Spec.TaskTemplate?.ForceUpdate ?? 0,
        spec: s.Spec,
      };
    },
    async inspectTask(id) {
      const raw = await call('GET', `/tasks/${id}`).catch(nullWhenNotFound);
      if (raw === null) return null;
      const t = parse(rawTask, raw, 'GET /tasks/{id}', endpoint.label);
      return {
        id: t.ID,
        serviceId: t.ServiceID,
        nodeId: t.NodeID || null,
        slot: t.Slot ?? null,
        state: t.Status?.State ?? 'unknown',
        containerId: t.Status?.ContainerStatus?.ContainerID || null,
      };
    },
    async updateService(service, spec) {
      const raw = await call('POST', `/services/${service.id}/update`, { version: String(service.version) }, spec);
      return { warnings: parse(rawUpdate, raw, 'POST /services/{id}/update', endpoint.label)?.Warnings ?? [] };
    },
    async killContainer(containerId) {
      await call('POST', `/containers/${containerId}/kill`);
    },
  };
}
