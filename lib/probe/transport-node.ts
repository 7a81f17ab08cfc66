// The Node transport (CLI and relay): a lean HTTP/1.1 client over keep-alive sockets, one request in flight per
// connection, no redirects.
//
// Node only. Not fenced with `server-only` because the CLI runs outside Next.js, where that package throws; the
// `node:` imports already make a client bundle fail.
//
// Why not undici: the probe's sustained rate is a product goal (`npm run bench`, ≥ 0.8× autocannon on a fast
// target), and per request undici's Request object, header validation, queue and per-header parser callbacks cost
// about as much as everything else in the engine together. This client sends one pre-encoded Buffer per request
// (re-encoded only when the Cookie header changes), parses the response head with one `indexOf`, and keeps a single
// coarse timer per transport instead of one per request. Bodies are kept up to `maxBodyBytes`; past that the
// connection is destroyed rather than drained, so a 50 MB body costs 64 KiB.
import net from 'node:net';
import tls from 'node:tls';
import { firstBadHeaderChar, isHeaderValue, isHttpToken } from '@/lib/net/http-bytes';
import { guardedLookup, type AddressGuard } from './connect-guard';
import { overrideLookup, type ResolveOverride } from './resolve';
import { PROBE_LIMITS } from './spec';
import type { ProbeError, ProbeErrorCode, ProbeTransport, ProbeUrl, TransportRequest, TransportResult } from './types';

export type NodeTransportOptions = {
  /** curl `--resolve` entries: connect to `address` for `host:port`; URL, Host, SNI and cookies keep the hostname. */
  resolve?: readonly ResolveOverride[];
  /** Longest wait without progress: connecting, waiting for the response head, between body chunks. Default 10 s. */
  timeoutMs?: number;
  /** Body bytes kept for identity detection. Default 64 KiB. */
  maxBodyBytes?: number;
  /** Connections per origin; match the run's concurrency. Default 1. */
  connections?: number;
  /** Accept any TLS certificate (self-signed lab balancers). */
  insecureTls?: boolean;
  /** Refuses addresses a hostname resolves to (the relay: link-local and metadata addresses). */
  allowAddress?: AddressGuard;
};

const MAX_HEAD_BYTES = PROBE_LIMITS.maxResponseHeadBytes;
/** Keep-alive sockets idle longer than this are closed by us (servers usually allow 5–75 s). */
const IDLE_MS = 4_000;
const CRLFCRLF = Buffer.from('\r\n\r\n', 'latin1');
const STATUS_LINE = /^HTTP\/1\.[01] [1-9]\d\d(?: |$)/;
const IDEMPOTENT = new Set(['GET', 'HEAD', 'OPTIONS', 'PUT', 'DELETE']);
const NEEDS_LENGTH = new Set(['POST', 'PUT', 'PATCH']);

class ProtocolError extends Error {
  readonly code = 'HPE_INVALID';
}

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
  HPE_INVALID: 'protocol',
  UND_ERR_INFO: 'protocol',
  UND_ERR_RES_CONTENT_LENGTH_MISMATCH: 'protocol',
};

/** Maps a Node error (or its cause chain) to our codes. Exported for tests. */
export function toProbeError(error: unknown): ProbeError {
  let e: unknown = error;
  for (let depth = 0; depth < 4 && e; depth++) {
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
    case 'protocol':
      return `invalid HTTP response: ${message}`;
    default:
      return message;
  }
}

const ABORTED: TransportResult = Object.freeze({ ok: false, error: Object.freeze({ code: 'aborted', message: 'the run was stopped' }) });
const fail = (code: ProbeErrorCode, message: string): TransportResult => ({ ok: false, error: { code, message } });

type Phase = 'connect' | 'head' | 'body';

/** One request in flight (or queued). */
class Exchange {
  conn: Conn | null = null;
  settled = false;
  retried = false;
  readonly t0 = performance.now();
  constructor(
    readonly payload: Buffer,
    readonly headOnly: boolean,
    readonly idempotent: boolean,
    readonly resolve: (r: TransportResult) => void,
  ) {}

  abort(): void {
    if (this.settled) return;
    const conn = this.conn;
    this.finish(ABORTED);
    if (conn && conn.exchange === this) conn.destroy(null);
  }

  finish(result: TransportResult): void {
    if (this.settled) return;
    this.settled = true;
    this.resolve(result);
  }
}

/** One connection and its response parser. */
class Conn {
  readonly socket: net.Socket;
  connected = false;
  closed = false;
  /** Requests this connection has carried; a failure on a reused one before any byte may be a stale keep-alive. */
  uses = 0;
  exchange: Exchange | null = null;
  idleTicks = 0;
  idleSince = 0;

  private phase: Phase = 'connect';
  private received = false;
  private head: Buffer | null = null;
  private status = 0;
  private headers: Record<string, string> = {};
  private setCookie: string[] = [];
  private keepAlive = true;
  private ttfbMs: number | null = null;
  // Body state.
  private mode: 'length' | 'chunked' | 'close' | 'none' = 'none';
  private remaining = 0;
  private chunks: Buffer[] = [];
  private kept = 0;
  private truncated = false;
  /** Chunked decoding: bytes left in the current chunk, or -1 while reading a size line, -2 in trailers. */
  private chunkLeft = -1;
  private pending: Buffer | null = null;

  constructor(
    private readonly pool: OriginPool,
    url: ProbeUrl,
    address: string | undefined,
  ) {
    const t = pool.transport;
    const onConnect = () => {
      this.connected = true;
      this.socket.setNoDelay(true);
      this.idleTicks = 0;
      if (this.exchange) this.phase = 'head';
    };
    const lookup = t.lookup;
    if (url.protocol === 'https:') {
      this.socket = tls.connect({
        host: address ?? url.host,
        port: url.port,
        lookup,
        servername: net.isIP(url.host) ? undefined : url.host,
        rejectUnauthorized: !t.insecureTls,
        ALPNProtocols: ['http/1.1'],
      });
      this.socket.once('secureConnect', onConnect);
    } else {
      this.socket = net.connect({ host: address ?? url.host, port: url.port, lookup });
      this.socket.once('connect', onConnect);
    }
    this.socket.on('data', (chunk: Buffer) => this.onData(chunk));
    this.socket.on('error', (error) => this.destroy(error));
    this.socket.on('close', () => this.destroy(null));
    this.socket.on('end', () => this.onEnd());
  }

  start(ex: Exchange): void {
    this.exchange = ex;
    ex.conn = this;
    this.uses++;
    this.idleTicks = 0;
    this.received = false;
    this.phase = this.connected ? 'head' : 'connect';
    this.head = null;
    this.status = 0;
    this.headers = {};
    this.setCookie = [];
    this.keepAlive = true;
    this.ttfbMs = null;
    this.mode = 'none';
    this.chunks = [];
    this.kept = 0;
    this.truncated = false;
    this.chunkLeft = -1;
    this.pending = null;
    this.socket.write(ex.payload);
  }

  /** Called by the transport's ticker; true when this connection has waited too long. */
  tick(limit: number): void {
    if (this.exchange === null) return;
    if (++this.idleTicks < limit) return;
    const message =
      this.phase === 'connect' ? 'timed out connecting' : this.phase === 'head' ? 'timed out waiting for the response' : 'timed out reading the body';
    const ex = this.exchange;
    this.exchange = null;
    this.destroy(null);
    ex.finish(fail('timeout', message));
  }

  destroy(error: Error | null): void {
    if (!this.closed) {
      this.closed = true;
      this.socket.destroy();
      this.pool.forget(this);
    }
    const ex = this.exchange;
    if (!ex) return;
    this.exchange = null;
    if (ex.settled) return;
    if (this.head === null || this.mode !== 'close') {
      // A reused keep-alive socket the server had already closed: try once more on a fresh one.
      if (!this.received && this.uses > 1 && ex.idempotent && !ex.retried) {
        ex.retried = true;
        this.pool.enqueue(ex, true);
        return;
      }
      if (this.head !== null && this.truncated) return this.complete(ex);
      ex.finish(
        error
          ? { ok: false, error: toProbeError(error) }
          : fail('reset', this.received ? 'connection reset (the server closed the connection mid-response)' : 'connection reset (the server closed the connection before answering)'),
      );
      return;
    }
    // Read-until-close body: the close is the end.
    if (error && !this.truncated) ex.finish({ ok: false, error: toProbeError(error) });
    else this.complete(ex);
  }

  private onEnd(): void {
    // Half-close from the server: for a read-until-close body this completes it; otherwise it is a reset.
    this.keepAlive = false;
    this.destroy(null);
  }

  private onData(chunk: Buffer): void {
    const ex = this.exchange;
    if (ex === null) {
      // Bytes nobody asked for on an idle connection: it cannot be trusted any more.
      this.destroy(null);
      return;
    }
    this.received = true;
    this.idleTicks = 0;
    try {
      if (this.head === null) {
        this.readHead(ex, chunk);
      } else {
        this.readBody(ex, chunk);
      }
    } catch (error) {
      this.exchange = null;
      this.destroy(null);
      ex.finish({ ok: false, error: toProbeError(error) });
    }
  }

  private readHead(ex: Exchange, chunk: Buffer): void {
    let buf = this.pending === null ? chunk : Buffer.concat([this.pending, chunk]);
    for (;;) {
      const end = buf.indexOf(CRLFCRLF);
      if (end === -1) {
        if (buf.length > MAX_HEAD_BYTES) throw new ProtocolError(`response head larger than ${MAX_HEAD_BYTES} bytes`);
        this.pending = buf;
        return;
      }
      this.pending = null;
      // latin1: one character per byte, as Node's own client reads heads, so a Set-Cookie value goes back out in
      // the Cookie header byte for byte.
      const status = this.parseHead(buf.toString('latin1', 0, end));
      buf = buf.subarray(end + 4);
      // 1xx: an interim response; the real one follows on the same connection.
      if (status >= 100 && status < 200 && status !== 101) {
        this.headers = {};
        this.setCookie = [];
        continue;
      }
      this.head = buf;
      this.status = status;
      this.ttfbMs = performance.now() - ex.t0;
      this.phase = 'body';
      this.pickBodyMode(ex, status);
      if (this.mode === 'none') {
        if (buf.length) this.keepAlive = false;
        return this.complete(ex);
      }
      if (buf.length) this.readBody(ex, buf);
      return;
    }
  }

  private parseHead(text: string): number {
    let lineEnd = text.indexOf('\r\n');
    const statusLine = lineEnd === -1 ? text : text.slice(0, lineEnd);
    if (!STATUS_LINE.test(statusLine)) throw new ProtocolError(`not an HTTP/1.x status line: ${JSON.stringify(statusLine.slice(0, 60))}`);
    const status = Number(statusLine.slice(9, 12));
    const http10 = statusLine.charCodeAt(7) === 0x30;
    this.keepAlive = !http10;
    const headers = this.headers;
    let contentLength = -1;
    let chunked = false;
    let closeAsked = false;
    while (lineEnd !== -1) {
      const start = lineEnd + 2;
      lineEnd = text.indexOf('\r\n', start);
      const line = lineEnd === -1 ? text.slice(start) : text.slice(start, lineEnd);
      const colon = line.indexOf(':');
      if (colon <= 0) throw new ProtocolError(`malformed header line ${JSON.stringify(line.slice(0, 60))}`);
      const name = line.slice(0, colon).toLowerCase();
      const value = line.slice(colon + 1).trim();
      if (name === 'set-cookie') {
        this.setCookie.push(value);
        continue;
      }
      const prev = headers[name];
      headers[name] = prev === undefined ? value : `${prev}, ${value}`;
      if (name === 'content-length') {
        if (!/^\d{1,15}$/.test(value) || (contentLength !== -1 && Number(value) !== contentLength)) {
          throw new ProtocolError(`bad Content-Length ${JSON.stringify(value)}`);
        }
        contentLength = Number(value);
      } else if (name === 'transfer-encoding') {
        chunked = /(^|,)\s*chunked\s*$/i.test(headers[name]!);
      } else if (name === 'connection') {
        const v = value.toLowerCase();
        if (v.includes('close')) closeAsked = true;
        else if (http10 && v.includes('keep-alive')) this.keepAlive = true;
      }
    }
    if (closeAsked) this.keepAlive = false;
    this.remaining = chunked ? -1 : contentLength;
    return status;
  }

  private pickBodyMode(ex: Exchange, status: number): void {
    if (ex.headOnly || status === 204 || status === 304 || status === 101) {
      this.mode = 'none';
      if (status === 101) this.keepAlive = false;
      return;
    }
    if (this.remaining === -1 && /(^|,)\s*chunked\s*$/i.test(this.headers['transfer-encoding'] ?? '')) {
      this.mode = 'chunked';
      this.chunkLeft = -1;
      return;
    }
    if (this.remaining >= 0) {
      this.mode = this.remaining === 0 ? 'none' : 'length';
      return;
    }
    this.mode = 'close';
    this.keepAlive = false;
  }

  private keep(ex: Exchange, data: Buffer): boolean {
    const cap = this.pool.transport.maxBodyBytes;
    const room = cap - this.kept;
    if (room > 0) {
      this.chunks.push(data.length > room ? data.subarray(0, room) : data);
      this.kept += Math.min(room, data.length);
    }
    if (data.length > room) {
      // Past the cap: keep what we have and drop the connection instead of draining the rest.
      this.truncated = true;
      this.keepAlive = false;
      this.complete(ex);
      return false;
    }
    return true;
  }

  private readBody(ex: Exchange, data: Buffer): void {
    if (this.mode === 'length') {
      if (data.length >= this.remaining) {
        const extra = data.length > this.remaining;
        if (!this.keep(ex, data.subarray(0, this.remaining))) return;
        this.remaining = 0;
        // Bytes after the body with nothing asked: the connection is out of step.
        if (extra) this.keepAlive = false;
        this.complete(ex);
        return;
      }
      this.remaining -= data.length;
      this.keep(ex, data);
      return;
    }
    if (this.mode === 'close') {
      this.keep(ex, data);
      return;
    }
    this.readChunked(ex, data);
  }

  private readChunked(ex: Exchange, input: Buffer): void {
    let buf = this.pending === null ? input : Buffer.concat([this.pending, input]);
    this.pending = null;
    for (;;) {
      if (this.chunkLeft > 0) {
        if (buf.length === 0) return;
        const n = Math.min(this.chunkLeft, buf.length);
        if (!this.keep(ex, buf.subarray(0, n))) return;
        this.chunkLeft -= n;
        buf = buf.subarray(n);
        if (this.chunkLeft === 0) this.chunkLeft = -3; // expect CRLF after the data
        continue;
      }
      const eol = buf.indexOf('\r\n');
      if (eol === -1) {
        if (buf.length > 4096) throw new ProtocolError('chunk size line too long');
        if (buf.length) this.pending = buf;
        return;
      }
      const line = buf.toString('latin1', 0, eol);
      buf = buf.subarray(eol + 2);
      if (this.chunkLeft === -3) {
        if (line !== '') throw new ProtocolError('missing CRLF after chunk data');
        this.chunkLeft = -1;
      } else if (this.chunkLeft === -2) {
        // Trailers end with an empty line.
        if (line === '') {
          if (buf.length) this.keepAlive = false;
          this.complete(ex);
          return;
        }
      } else {
        const semi = line.indexOf(';');
        const hex = (semi === -1 ? line : line.slice(0, semi)).trim();
        if (!/^[0-9a-fA-F]{1,12}$/.test(hex)) throw new ProtocolError(`bad chunk size ${JSON.stringify(hex.slice(0, 20))}`);
        const size = parseInt(hex, 16);
        this.chunkLeft = size === 0 ? -2 : size;
      }
    }
  }

  private complete(ex: Exchange): void {
    if (this.exchange === ex) this.exchange = null;
    let body = '';
    if (!ex.headOnly && this.chunks.length) {
      body = this.chunks.length === 1 ? this.chunks[0]!.toString('utf8') : Buffer.concat(this.chunks).toString('utf8');
    }
    const result: TransportResult = {
      ok: true,
      status: this.status,
      headers: this.headers,
      setCookie: this.setCookie,
      bodyPrefix: body,
      bodyTruncated: this.truncated,
      ttfbMs: this.ttfbMs,
    };
    this.chunks = [];
    if (this.keepAlive && !this.closed) this.pool.release(this);
    else if (!this.closed) {
      this.closed = true;
      this.socket.destroy();
      this.pool.forget(this);
    }
    ex.finish(result);
  }
}

/** The connections to one origin: up to `max`, idle ones reused most-recent first, a FIFO queue beyond that. */
class OriginPool {
  private readonly all = new Set<Conn>();
  private readonly idle: Conn[] = [];
  private readonly queue: Exchange[] = [];

  constructor(
    readonly transport: NodeTransport,
    private readonly url: ProbeUrl,
    private readonly address: string | undefined,
    private readonly max: number,
  ) {}

  get size(): number {
    return this.all.size;
  }

  connections(): Iterable<Conn> {
    return this.all;
  }

  enqueue(ex: Exchange, fresh = false): void {
    if (ex.settled) return;
    if (!fresh) {
      while (this.idle.length) {
        const conn = this.idle.pop()!;
        if (!conn.closed) return conn.start(ex);
      }
    }
    if (this.all.size < this.max || fresh) {
      const conn = new Conn(this, this.url, this.address);
      this.all.add(conn);
      conn.start(ex);
      return;
    }
    this.queue.push(ex);
  }

  release(conn: Conn): void {
    while (this.queue.length) {
      const next = this.queue.shift()!;
      if (!next.settled) return conn.start(next);
    }
    conn.idleSince = performance.now();
    this.idle.push(conn);
  }

  forget(conn: Conn): void {
    this.all.delete(conn);
    const i = this.idle.indexOf(conn);
    if (i !== -1) this.idle.splice(i, 1);
    // A queued request may now open its own connection.
    while (this.queue.length && this.all.size < this.max) {
      const next = this.queue.shift()!;
      if (!next.settled) this.enqueue(next);
    }
  }

  closeIdle(olderThan: number): void {
    for (const conn of [...this.idle]) if (conn.idleSince < olderThan) conn.destroy(null);
  }

  destroy(): void {
    for (const ex of this.queue.splice(0)) ex.finish(ABORTED);
    for (const conn of [...this.all]) conn.destroy(null);
  }
}

/** A request whose head would not go out as written: refused here, whatever the caller checked before. */
export class UnsendableRequestError extends Error {
  constructor(why: string) {
    super(`not sent: ${why}, which a request head cannot carry (only tab, space, visible ASCII and bytes 0x80–0xFF)`);
  }
}

/** The second line of defence behind every input schema: a head that would change meaning on the wire is not sent. */
export function checkHead(request: TransportRequest): void {
  if (!isHttpToken(request.method)) throw new UnsendableRequestError(`the method ${JSON.stringify(request.method.slice(0, 20))} is not a token`);
  for (let i = 0; i + 1 < request.headers.length; i += 2) {
    const name = request.headers[i]!;
    const value = request.headers[i + 1]!;
    if (!isHttpToken(name)) throw new UnsendableRequestError(`the header name ${JSON.stringify(name.slice(0, 40))} is not a token`);
    if (!isHeaderValue(value)) throw new UnsendableRequestError(`the value of header ${name} has ${firstBadHeaderChar(value)}`);
  }
  if (request.cookieHeader !== null) checkCookie(request.cookieHeader);
}

function checkCookie(cookie: string): void {
  if (!isHeaderValue(cookie)) throw new UnsendableRequestError(`the Cookie header has ${firstBadHeaderChar(cookie)}`);
}

type Encoded = { headers: readonly string[]; url: ProbeUrl; method: string; body: string | null; prefix: string; cookie: string | null; payload: Buffer };

export class NodeTransport implements ProbeTransport {
  readonly seesCookies = true;
  readonly kind = 'node';
  readonly timeoutMs: number;
  readonly maxBodyBytes: number;
  readonly insecureTls: boolean;
  readonly lookup: net.LookupFunction | undefined;
  private readonly connectionsPerOrigin: number;
  private readonly overrideFor: (host: string, port: number) => string | undefined;
  private readonly pools = new Map<string, OriginPool>();
  /** In-flight requests per abort signal: one listener per signal, not per request. */
  private readonly waiting = new WeakMap<AbortSignal, Set<Exchange>>();
  private ticker: ReturnType<typeof setInterval> | null = null;
  private readonly tickMs: number;
  /** Ticks without progress after which a request times out: the timeout lands within one tick after `timeoutMs`. */
  private readonly tickLimit = 11;
  private encoded: Encoded | null = null;
  private closed = false;

  constructor(options: NodeTransportOptions = {}) {
    this.timeoutMs = options.timeoutMs ?? 10_000;
    this.maxBodyBytes = options.maxBodyBytes ?? 64 * 1024;
    this.connectionsPerOrigin = Math.max(1, options.connections ?? 1);
    this.insecureTls = options.insecureTls ?? false;
    this.overrideFor = overrideLookup(options.resolve ?? []);
    this.lookup = options.allowAddress ? guardedLookup(options.allowAddress) : undefined;
    this.tickMs = Math.max(5, Math.floor(this.timeoutMs / (this.tickLimit - 1)));
  }

  send(request: TransportRequest, signal?: AbortSignal): Promise<TransportResult> {
    if (signal?.aborted || this.closed) return Promise.resolve(ABORTED);
    return new Promise<TransportResult>((resolve) => {
      const method = request.method;
      let ex: Exchange;
      const settle = (r: TransportResult) => {
        if (signal) this.waiting.get(signal)?.delete(ex);
        resolve(r);
      };
      let payload: Buffer;
      try {
        payload = this.encode(request);
      } catch (error) {
        if (!(error instanceof UnsendableRequestError)) throw error;
        return resolve(fail('other', error.message));
      }
      ex = new Exchange(payload, method === 'HEAD', IDEMPOTENT.has(method), settle);
      if (signal) {
        let set = this.waiting.get(signal);
        if (!set) {
          const s = new Set<Exchange>();
          set = s;
          this.waiting.set(signal, s);
          signal.addEventListener('abort', () => {
            for (const w of [...s]) w.abort();
            s.clear();
          }, { once: true });
        }
        set.add(ex);
      }
      this.startTicker();
      this.poolFor(request.url).enqueue(ex);
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.ticker) clearInterval(this.ticker);
    this.ticker = null;
    for (const pool of this.pools.values()) pool.destroy();
    this.pools.clear();
  }

  private startTicker(): void {
    if (this.ticker) return;
    let sweep = 0;
    this.ticker = setInterval(() => {
      for (const pool of this.pools.values()) for (const conn of [...pool.connections()]) conn.tick(this.tickLimit);
      if (++sweep * this.tickMs >= 1000) {
        sweep = 0;
        const olderThan = performance.now() - IDLE_MS;
        for (const pool of this.pools.values()) pool.closeIdle(olderThan);
      }
    }, this.tickMs);
    // Sockets keep the process alive while requests are in flight; the ticker alone must not.
    this.ticker.unref();
  }

  private poolFor(url: ProbeUrl): OriginPool {
    let pool = this.pools.get(url.origin);
    if (!pool) {
      pool = new OriginPool(this, url, this.overrideFor(url.host, url.port), this.connectionsPerOrigin);
      this.pools.set(url.origin, pool);
    }
    return pool;
  }

  /** The request as bytes. The part before the Cookie header is built once per run; the whole once per cookie value. */
  private encode(request: TransportRequest): Buffer {
    const e = this.encoded;
    if (e && e.headers === request.headers && e.url === request.url && e.method === request.method && e.body === request.body) {
      if (e.cookie === request.cookieHeader) return e.payload;
      const payload = this.finishPayload(e.prefix, request.cookieHeader, request.body);
      this.encoded = { ...e, cookie: request.cookieHeader, payload };
      return payload;
    }
    const { url } = request;
    checkHead(request);
    const defaultPort = url.protocol === 'https:' ? 443 : 80;
    const hostName = url.host.includes(':') ? `[${url.host}]` : url.host;
    let prefix = `${request.method} ${url.pathAndQuery} HTTP/1.1\r\nhost: ${url.port === defaultPort ? hostName : `${hostName}:${url.port}`}\r\nconnection: keep-alive\r\n`;
    for (let i = 0; i + 1 < request.headers.length; i += 2) prefix += `${request.headers[i]}: ${request.headers[i + 1]}\r\n`;
    if (request.body !== null) prefix += `content-length: ${Buffer.byteLength(request.body)}\r\n`;
    else if (NEEDS_LENGTH.has(request.method)) prefix += 'content-length: 0\r\n';
    const payload = this.finishPayload(prefix, request.cookieHeader, request.body);
    this.encoded = { headers: request.headers, url, method: request.method, body: request.body, prefix, cookie: request.cookieHeader, payload };
    return payload;
  }

  private finishPayload(prefix: string, cookie: string | null, body: string | null): Buffer {
    if (cookie !== null) checkCookie(cookie);
    // Header bytes as latin1, like other Node clients; the body as UTF-8. Every character was checked to be a byte.
    const head = Buffer.from(cookie === null ? `${prefix}\r\n` : `${prefix}cookie: ${cookie}\r\n\r\n`, 'latin1');
    return body === null ? head : Buffer.concat([head, Buffer.from(body, 'utf8')]);
  }
}

export function createNodeTransport(options: NodeTransportOptions = {}): NodeTransport {
  return new NodeTransport(options);
}
