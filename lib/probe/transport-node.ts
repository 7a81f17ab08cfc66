// The Node transport (CLI and relay): undici pools with keep-alive, one raw dispatch per request.
//
// Node only. Not fenced with `server-only` because the CLI runs outside Next.js, where that package throws; the
// `node:` imports already make a client bundle fail.
//
// The hot path uses undici's raw dispatch handler (status plus raw header buffers) rather than `request()`, so no
// stream, no header object beyond ours and no promise chain per chunk. Bodies are kept up to `maxBodyBytes`; past
// that the connection is destroyed rather than drained, so a 50 MB body costs 64 KiB. Redirects are not followed.
import type { LookupAddress, LookupOptions } from 'node:dns';
import { Pool } from 'undici';
import type { ResolveOverride } from './spec';
import type { ProbeError, ProbeErrorCode, ProbeTransport, TransportRequest, TransportResult } from './types';

export type NodeTransportOptions = {
  /** curl `--resolve` entries: connect to `address` for `host:port`; URL, Host, SNI and cookies keep the hostname. */
  resolve?: readonly ResolveOverride[];
  /** Applies to connecting, to waiting for headers, and to each wait for body data. Default 10 s. */
  timeoutMs?: number;
  /** Body bytes kept for identity detection. Default 64 KiB. */
  maxBodyBytes?: number;
  /** Connections per origin; match the run's concurrency. Default 1. */
  connections?: number;
  /** Accept any TLS certificate (self-signed lab balancers). */
  insecureTls?: boolean;
};

type LookupCallback = (err: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;

/** A body bigger than the cap: not an error, just where we stop reading. */
class CapReached extends Error {}
class Aborted extends Error {}

const NETWORK_CODES: Record<string, ProbeErrorCode> = {
  ECONNREFUSED: 'refused',
  ECONNRESET: 'reset',
  EPIPE: 'reset',
  UND_ERR_SOCKET: 'reset',
  UND_ERR_CLOSED: 'reset',
  ETIMEDOUT: 'timeout',
  UND_ERR_CONNECT_TIMEOUT: 'timeout',
  UND_ERR_HEADERS_TIMEOUT: 'timeout',
  UND_ERR_BODY_TIMEOUT: 'timeout',
  ENOTFOUND: 'dns',
  EAI_AGAIN: 'dns',
  EAI_NONAME: 'dns',
  EHOSTUNREACH: 'unreachable',
  ENETUNREACH: 'unreachable',
  EADDRNOTAVAIL: 'unreachable',
  UND_ERR_ABORTED: 'aborted',
  ABORT_ERR: 'aborted',
  HPE_INVALID_CONSTANT: 'protocol',
  HPE_INVALID_HEADER_TOKEN: 'protocol',
  UND_ERR_INFO: 'protocol',
  UND_ERR_RES_CONTENT_LENGTH_MISMATCH: 'protocol',
};

/** Maps a Node/undici error (or its cause chain) to our codes. Exported for tests. */
export function toProbeError(error: unknown): ProbeError {
  let e: unknown = error;
  for (let depth = 0; depth < 4 && e; depth++) {
    if (e instanceof Aborted) return { code: 'aborted', message: 'the run was stopped' };
    const err = e as { code?: unknown; message?: unknown; cause?: unknown; errors?: unknown };
    const code = typeof err.code === 'string' ? err.code : '';
    const message = typeof err.message === 'string' ? err.message : String(e);
    const mapped = NETWORK_CODES[code];
    if (mapped) return { code: mapped, message: describe(mapped, code, message) };
    if (code.startsWith('ERR_TLS') || code.startsWith('ERR_SSL') || /CERT|SELF_SIGNED|UNABLE_TO_VERIFY/.test(code)) {
      return { code: 'tls', message: `TLS failed: ${message}` };
    }
    if (code.startsWith('HPE_')) return { code: 'protocol', message: `invalid HTTP response: ${message}` };
    // Happy-eyeballs connects report an AggregateError holding one error per address.
    if (Array.isArray(err.errors) && err.errors.length) e = err.errors[0];
    else e = err.cause;
  }
  const message = error instanceof Error ? error.message : String(error);
  return { code: 'other', message };
}

function describe(code: ProbeErrorCode, raw: string, message: string): string {
  switch (code) {
    case 'refused':
      return `connection refused (${message})`;
    case 'timeout':
      return raw === 'UND_ERR_CONNECT_TIMEOUT' ? 'timed out connecting' : raw === 'UND_ERR_BODY_TIMEOUT' ? 'timed out reading the body' : raw === 'UND_ERR_HEADERS_TIMEOUT' ? 'timed out waiting for the response' : `timed out (${message})`;
    case 'dns':
      return `hostname not found (${message})`;
    case 'reset':
      return `connection reset (${message})`;
    default:
      return message;
  }
}

function lookupFor(address: string): (hostname: string, options: LookupOptions, callback: LookupCallback) => void {
  const family = address.includes(':') ? 6 : 4;
  return (_hostname, options, callback) => {
    if (options.all) callback(null, [{ address, family }]);
    else callback(null, address, family);
  };
}

type Waiter = { abort(): void };

export class NodeTransport implements ProbeTransport {
  readonly seesCookies = true;
  private readonly pools = new Map<string, Pool>();
  private readonly timeoutMs: number;
  private readonly maxBodyBytes: number;
  private readonly connections: number;
  private readonly insecureTls: boolean;
  private readonly overrides: Map<string, string>;
  /** In-flight requests per abort signal: one listener per signal, not per request. */
  private readonly waiting = new WeakMap<AbortSignal, Set<Waiter>>();

  constructor(options: NodeTransportOptions = {}) {
    this.timeoutMs = options.timeoutMs ?? 10_000;
    this.maxBodyBytes = options.maxBodyBytes ?? 64 * 1024;
    this.connections = options.connections ?? 1;
    this.insecureTls = options.insecureTls ?? false;
    this.overrides = new Map((options.resolve ?? []).map((r) => [`${r.host}:${r.port}`, r.address]));
  }

  send(request: TransportRequest, signal?: AbortSignal): Promise<TransportResult> {
    if (signal?.aborted) return Promise.resolve({ ok: false, error: { code: 'aborted', message: 'the run was stopped' } });
    const pool = this.poolFor(request);
    const headers = request.cookieHeader === null ? request.headers : [...request.headers, 'cookie', request.cookieHeader];
    return new Promise<TransportResult>((resolve) => {
      const handler = new ProbeHandler(this.maxBodyBytes, request.method === 'HEAD', resolve);
      if (signal) {
        let set = this.waiting.get(signal);
        if (!set) {
          const s = new Set<Waiter>();
          set = s;
          this.waiting.set(signal, s);
          signal.addEventListener('abort', () => {
            for (const w of s) w.abort();
            s.clear();
          }, { once: true });
        }
        set.add(handler);
        handler.onDone = () => set.delete(handler);
      }
      try {
        pool.dispatch(
          {
            path: request.url.pathAndQuery,
            method: request.method,
            headers: headers as string[],
            body: request.body,
            headersTimeout: this.timeoutMs,
            bodyTimeout: this.timeoutMs,
          },
          handler,
        );
      } catch (error) {
        handler.onError(error as Error);
      }
    });
  }

  async close(): Promise<void> {
    const pools = [...this.pools.values()];
    this.pools.clear();
    await Promise.all(pools.map((p) => p.destroy().catch(() => undefined)));
  }

  private poolFor(request: TransportRequest): Pool {
    const { url } = request;
    let pool = this.pools.get(url.origin);
    if (!pool) {
      const address = this.overrides.get(`${url.host}:${url.port}`);
      pool = new Pool(url.origin, {
        connections: this.connections,
        pipelining: 1,
        keepAliveTimeout: 30_000,
        connect: {
          timeout: this.timeoutMs,
          rejectUnauthorized: !this.insecureTls,
          ...(address ? { lookup: lookupFor(address) } : {}),
        },
      });
      this.pools.set(url.origin, pool);
    }
    return pool;
  }
}

/** undici's raw (legacy) handler interface: status and header buffers, no stream. */
class ProbeHandler implements Waiter {
  onDone: (() => void) | null = null;
  private abortFn: ((err?: Error) => void) | null = null;
  private abortRequested = false;
  private settled = false;
  private status = 0;
  private headers: Record<string, string> = {};
  private setCookie: string[] = [];
  private chunks: Buffer[] = [];
  private bytes = 0;
  private truncated = false;
  private readonly t0 = performance.now();
  private ttfbMs: number | null = null;

  constructor(
    private readonly cap: number,
    private readonly headOnly: boolean,
    private readonly resolve: (r: TransportResult) => void,
  ) {}

  abort(): void {
    this.abortRequested = true;
    this.abortFn?.(new Aborted('aborted'));
  }

  onConnect(abort: (err?: Error) => void): void {
    this.abortFn = abort;
    if (this.abortRequested) abort(new Aborted('aborted'));
  }

  onHeaders(statusCode: number, rawHeaders: Buffer[], _resume: () => void, _statusText: string): boolean {
    if (statusCode < 200) return true; // 1xx: the real response follows
    this.status = statusCode;
    this.ttfbMs = performance.now() - this.t0;
    const headers: Record<string, string> = {};
    for (let i = 0; i + 1 < rawHeaders.length; i += 2) {
      const name = rawHeaders[i]!.toString('latin1').toLowerCase();
      const value = rawHeaders[i + 1]!.toString('utf8');
      if (name === 'set-cookie') this.setCookie.push(value);
      else {
        const prev = headers[name];
        headers[name] = prev === undefined ? value : `${prev}, ${value}`;
      }
    }
    this.headers = headers;
    return true;
  }

  onData(chunk: Buffer): boolean {
    const room = this.cap - this.bytes;
    if (room > 0) this.chunks.push(chunk.length > room ? chunk.subarray(0, room) : chunk);
    this.bytes += chunk.length;
    if (this.bytes > this.cap) {
      this.truncated = true;
      // Destroys the connection instead of draining the rest.
      this.abortFn?.(new CapReached('body cap reached'));
      return false;
    }
    return true;
  }

  onComplete(_trailers: string[] | null): void {
    this.finishOk();
  }

  onError(err: Error): void {
    if (err instanceof CapReached || (this.truncated && this.status)) {
      this.finishOk();
      return;
    }
    this.finish({ ok: false, error: toProbeError(err) });
  }

  private finishOk(): void {
    let body = '';
    if (!this.headOnly && this.chunks.length) {
      body = this.chunks.length === 1 ? this.chunks[0]!.toString('utf8') : Buffer.concat(this.chunks).toString('utf8');
    }
    this.finish({
      ok: true,
      status: this.status,
      headers: this.headers,
      setCookie: this.setCookie,
      bodyPrefix: body,
      bodyTruncated: this.truncated,
      ttfbMs: this.ttfbMs,
    });
  }

  private finish(result: TransportResult): void {
    if (this.settled) return;
    this.settled = true;
    this.chunks = [];
    this.onDone?.();
    this.resolve(result);
  }
}

export function createNodeTransport(options: NodeTransportOptions = {}): NodeTransport {
  return new NodeTransport(options);
}
