import 'server-only';

import { readFileSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import path from 'node:path';

import type { DockerConnection } from '@/lib/config-types';
import { SourceError } from '@/lib/errors';

/** Highest Docker Engine API version whose payloads we have read; newer engines are spoken to in this one. */
export const MAX_API_VERSION = '1.47';
/** Oldest engine API with the Swarm fields we read (service endpoint, task network attachments). */
export const MIN_API_VERSION = '1.25';
export const DEFAULT_MAX_BODY_BYTES = 64 * 1024 * 1024;

/**
 * The only requests this dashboard may send to a Docker engine: GET, on these paths, with these query
 * parameters. Never `/swarm` (it returns the join tokens), never container archive/export/exec, never a write.
 */
const allowedRequests: readonly { path: RegExp; query: readonly string[] }[] = [
  { path: /^\/version$/, query: [] },
  { path: /^\/info$/, query: [] },
  { path: /^\/nodes$/, query: ['filters'] },
  { path: /^\/services$/, query: ['filters', 'status'] },
  { path: /^\/tasks$/, query: ['filters'] },
  { path: /^\/networks$/, query: ['filters'] },
];

export type DockerQuery = Record<string, string>;

/** A read-only caller for one Docker engine, speaking the negotiated API version. */
export type DockerApi = {
  readonly target: string;
  /** Negotiated API version, e.g. "1.41"; every path is sent as `/v{apiVersion}{path}`. */
  apiVersion(): Promise<string>;
  get(apiPath: string, query?: DockerQuery): Promise<unknown>;
};

export type Endpoint =
  | { kind: 'socket'; socketPath: string; label: string }
  | { kind: 'tcp'; protocol: 'http:' | 'https:'; hostname: string; port: number; label: string };

export function isAllowedRequest(apiPath: string, query: DockerQuery = {}): boolean {
  const rule = allowedRequests.find((r) => r.path.test(apiPath));
  return rule !== undefined && Object.keys(query).every((key) => rule.query.includes(key));
}

/** Parse DOCKER_HOST as the Docker CLI does (unix://, tcp://, npipe://). */
export function parseDockerHost(host: string, tls: boolean): Endpoint {
  if (host.startsWith('unix://')) {
    const socketPath = host.slice('unix://'.length);
    if (!socketPath.startsWith('/')) throw new SourceError('config', `DOCKER_HOST ${host} must name an absolute socket path`);
    return { kind: 'socket', socketPath, label: socketPath };
  }
  if (host.startsWith('npipe://')) {
    const socketPath = host.slice('npipe://'.length).replaceAll('/', '\\');
    return { kind: 'socket', socketPath, label: host };
  }
  if (host.startsWith('tcp://') || host.startsWith('http://') || host.startsWith('https://')) {
    let url: URL;
    try {
      url = new URL(host.replace(/^tcp:/, tls ? 'https:' : 'http:'));
    } catch {
      throw new SourceError('config', `DOCKER_HOST ${host} is not a valid address`);
    }
    const secure = tls || url.protocol === 'https:';
    const port = url.port ? Number(url.port) : secure ? 2376 : 2375;
    const hostname = url.hostname.replace(/^\[|\]$/g, '');
    return { kind: 'tcp', protocol: secure ? 'https:' : 'http:', hostname, port, label: `${hostname}:${port}` };
  }
  if (host.startsWith('ssh://')) {
    throw new SourceError('config', `DOCKER_HOST ${host}: ssh is not supported; use a socket, tcp+TLS or a socket proxy`);
  }
  throw new SourceError('config', `DOCKER_HOST ${host} must start with unix://, tcp:// or npipe://`);
}

/** min(server, ours), but never below what the server still accepts; fails for engines older than we read. */
export function negotiateApiVersion(server: string, serverMin: string | null): string {
  const chosen = compareVersions(server, MAX_API_VERSION) < 0 ? server : MAX_API_VERSION;
  if (compareVersions(chosen, MIN_API_VERSION) < 0) {
    throw new SourceError('bad-response', `Docker engine API ${server} is too old; stickyscope needs ${MIN_API_VERSION} or newer`);
  }
  if (serverMin !== null && compareVersions(chosen, serverMin) < 0) return serverMin;
  return chosen;
}

function compareVersions(a: string, b: string): number {
  const pa = a.split('.').map(Number);
  const pb = b.split('.').map(Number);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

export function readTlsFiles(certPath: string): { ca: Buffer; cert: Buffer; key: Buffer } {
  const read = (file: string) => {
    const full = path.join(certPath, file);
    try {
      return readFileSync(full);
    } catch (cause) {
      throw new SourceError('config', `cannot read ${full} (DOCKER_CERT_PATH needs ca.pem, cert.pem and key.pem)`, { cause });
    }
  };
  return { ca: read('ca.pem'), cert: read('cert.pem'), key: read('key.pem') };
}

export function networkError(error: NodeJS.ErrnoException, endpoint: Endpoint, what: string): SourceError {
  const where = endpoint.label;
  switch (error.code) {
    case 'ENOENT':
      return new SourceError('unreachable', `no Docker socket at ${where}; set DOCKER_HOST to the engine's socket or address`, { cause: error });
    case 'EACCES':
    case 'EPERM':
      return new SourceError(
        'permission',
        `permission denied on ${where}: run the dashboard as a member of the docker group, or put a read-only socket proxy in front of the engine`,
        { cause: error },
      );
    case 'ECONNREFUSED':
      return new SourceError('unreachable', `connection refused by ${where}: is the Docker engine running and listening there?`, { cause: error });
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return new SourceError('unreachable', `cannot resolve the Docker host ${where}`, { cause: error });
    case 'ECONNRESET':
    case 'EPIPE':
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return new SourceError('unreachable', `lost the connection to Docker at ${where} during ${what} (${error.code})`, { cause: error });
  }
  if (error.code?.startsWith('ERR_TLS') || error.code?.includes('CERT') || error.code === 'EPROTO') {
    return new SourceError('auth', `TLS handshake with Docker at ${where} failed (${error.code}): check DOCKER_CERT_PATH and DOCKER_TLS_VERIFY`, {
      cause: error,
    });
  }
  return new SourceError('unreachable', `cannot reach Docker at ${where} for ${what}: ${error.message}`, { cause: error });
}

function engineMessage(body: string): string {
  try {
    const parsed: unknown = JSON.parse(body);
    if (parsed && typeof parsed === 'object' && 'message' in parsed && typeof parsed.message === 'string') return parsed.message.slice(0, 300);
  } catch {
    // Not JSON: a proxy's own page, say.
  }
  return body.trim().slice(0, 300);
}

export function statusError(status: number, body: string, endpoint: Endpoint, what: string): SourceError {
  const message = engineMessage(body);
  // Docker answers 503 "This node is not a swarm manager..." on Swarm endpoints of a worker or plain engine.
  if (status === 503 && /swarm/i.test(message)) {
    return new SourceError('not-swarm-manager', `Docker at ${endpoint.label} is not a Swarm manager: ${message}`);
  }
  if (status === 401 || status === 403) {
    return new SourceError('permission', `Docker at ${endpoint.label} refused ${what} (${status}${message ? `: ${message}` : ''}); a socket proxy must allow it`);
  }
  if (status === 404) return new SourceError('not-found', `Docker at ${endpoint.label} has no ${what} (404${message ? `: ${message}` : ''})`);
  return new SourceError('bad-response', `Docker at ${endpoint.label} answered ${what} with ${status}${message ? `: ${message}` : ''}`);
}

type CreateOptions = { maxBodyBytes?: number };

class StaleSocketError extends Error {
  constructor(readonly sourceError: SourceError) {
    super(sourceError.message);
  }
}

/** Build a read-only caller. Prefer `getDockerApi`, which caches one per connection. */
export function createDockerApi(conn: DockerConnection, options: CreateOptions = {}): DockerApi {
  const maxBodyBytes = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  const endpoint = parseDockerHost(conn.host, conn.tls !== null);
  const tlsFiles = endpoint.kind === 'tcp' && endpoint.protocol === 'https:' && conn.tls ? readTlsFiles(conn.tls.certPath) : null;
  const agent =
    endpoint.kind === 'tcp' && endpoint.protocol === 'https:'
      ? new https.Agent({
          keepAlive: true,
          maxSockets: 8,
          ...(tlsFiles ?? {}),
          rejectUnauthorized: conn.tls?.verify ?? true,
        })
      : new http.Agent({ keepAlive: true, maxSockets: 8 });

  async function request(fullPath: string, what: string): Promise<unknown> {
    try {
      return await requestOnce(fullPath, what);
    } catch (error) {
      // A kept-alive socket the engine closed while idle fails on reuse; GET is safe to send once more.
      if (!(error instanceof StaleSocketError)) throw error;
    }
    try {
      return await requestOnce(fullPath, what);
    } catch (error) {
      throw error instanceof StaleSocketError ? error.sourceError : error;
    }
  }

  function requestOnce(fullPath: string, what: string): Promise<unknown> {
    return new Promise((resolve, reject) => {
      const base: http.RequestOptions = { method: 'GET', agent, path: fullPath, headers: { accept: 'application/json' } };
      const target: http.RequestOptions =
        endpoint.kind === 'socket'
          ? { ...base, socketPath: endpoint.socketPath, host: 'docker' }
          : { ...base, hostname: endpoint.hostname, port: endpoint.port, protocol: endpoint.protocol };
      const send = endpoint.kind === 'tcp' && endpoint.protocol === 'https:' ? https.request : http.request;
      let settled = false;
      const fail = (error: SourceError) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        reject(error);
      };
      const req = send(target, (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size > maxBodyBytes) {
            fail(new SourceError('too-large', `Docker at ${endpoint.label} sent more than ${maxBodyBytes} bytes for ${what}`));
            req.destroy();
            return;
          }
          chunks.push(chunk);
        });
        res.on('error', (error: NodeJS.ErrnoException) => fail(networkError(error, endpoint, what)));
        res.on('end', () => {
          if (settled) return;
          const body = Buffer.concat(chunks).toString('utf8');
          const status = res.statusCode ?? 0;
          if (status < 200 || status >= 300) return fail(statusError(status, body, endpoint, what));
          try {
            const parsed: unknown = JSON.parse(body);
            settled = true;
            clearTimeout(timer);
            resolve(parsed);
          } catch (cause) {
            // The body may hold anything; it stays out of the message.
            fail(new SourceError('bad-response', `Docker at ${endpoint.label} answered ${what} with something that is not JSON (${body.length} bytes)`, { cause }));
          }
        });
      });
      // One deadline for the whole exchange, not an idle timer: a trickling body must not hang a page.
      const timer = setTimeout(() => {
        fail(new SourceError('timeout', `Docker at ${endpoint.label} did not answer ${what} within ${conn.timeoutMs} ms`));
        req.destroy();
      }, conn.timeoutMs);
      req.on('error', (error: NodeJS.ErrnoException) => {
        if (req.reusedSocket && error.code === 'ECONNRESET' && !settled) {
          settled = true;
          clearTimeout(timer);
          reject(new StaleSocketError(networkError(error, endpoint, what)));
          return;
        }
        fail(networkError(error, endpoint, what));
      });
      req.end();
    });
  }

  let version: Promise<string> | null = null;

  const negotiate = async (): Promise<string> => {
    const raw = await request('/version', 'GET /version');
    const record = raw && typeof raw === 'object' ? (raw as Record<string, unknown>) : {};
    const server = typeof record.ApiVersion === 'string' ? record.ApiVersion : null;
    const serverMin = typeof record.MinAPIVersion === 'string' ? record.MinAPIVersion : null;
    if (server === null || !/^\d+\.\d+$/.test(server)) {
      throw new SourceError('bad-response', `Docker at ${endpoint.label} did not report an API version in /version; is it a Docker engine?`);
    }
    return negotiateApiVersion(server, serverMin);
  };

  const apiVersion = (): Promise<string> => {
    version ??= negotiate().catch((error: unknown) => {
      // Negotiate again next time: the engine may be starting or being upgraded.
      version = null;
      throw error;
    });
    return version;
  };

  return {
    target: endpoint.label,
    apiVersion,
    async get(apiPath, query = {}) {
      if (!isAllowedRequest(apiPath, query)) {
        throw new Error(`refusing Docker API call GET ${apiPath}: not on the read-only allowlist`);
      }
      const search = new URLSearchParams(query).toString();
      const what = `GET ${apiPath}`;
      const v = await apiVersion();
      return request(`/v${v}${apiPath}${search ? `?${search}` : ''}`, what);
    },
  };
}

const cacheKey = Symbol.for('stickyscope.dockerApis');
type ApiCache = Map<string, DockerApi>;
// Kept on globalThis so dev-server reloads reuse connections instead of piling up agents.
const globalCache = globalThis as typeof globalThis & { [cacheKey]?: ApiCache };

/** One cached caller per connection settings. */
export function getDockerApi(conn: DockerConnection): DockerApi {
  const cache = (globalCache[cacheKey] ??= new Map());
  const key = JSON.stringify([conn.host, conn.tls, conn.timeoutMs]);
  let api = cache.get(key);
  if (!api) {
    api = createDockerApi(conn);
    cache.set(key, api);
  }
  return api;
}
