// A held WebSocket from Node (the CLI, and the relay on behalf of a browser), with the run's cookies, headers and
// address overrides: the handshake answer as a transport response, then frames queued until the caller takes them.
//
// Node only, like transport-node.ts: not fenced with `server-only` because the CLI runs outside Next.js.
import net from 'node:net';
import tls from 'node:tls';
import WebSocket from 'ws';
import { overrideLookup, type ResolveOverride } from '../resolve';
import { guardedLookup, type AddressGuard } from '../connect-guard';
import { SOCKET_LIMITS } from '../spec';
import { checkHead, toProbeError, UnsendableRequestError } from '../transport-node';
import type { ProbeSocket, SocketOpenResult, SocketReceiveOptions, TransportRequest } from '../types';
import { SocketFrameQueue, type QueueLimits } from './socket-queue';

export type SocketOptions = {
  resolve?: readonly ResolveOverride[];
  /** Bounds the handshake. Default 10 s. */
  timeoutMs?: number;
  insecureTls?: boolean;
  /** Most characters kept of a refusal's body. Default 64 KiB. */
  maxBodyBytes?: number;
  /** Refuses addresses a hostname resolves to, as in the Node transport. */
  allowAddress?: AddressGuard;
  /** Queue bounds; the defaults are `SOCKET_LIMITS`. */
  limits?: Partial<QueueLimits>;
};

const ABORTED: SocketOpenResult = { ok: false, error: { code: 'aborted', message: 'the run was stopped' } };

/** Request headers as Node takes them: the flat name/value pairs plus the jar's cookie. */
export function headerRecord(flat: readonly string[], cookie: string | null): Record<string, string> {
  const out: Record<string, string> = {};
  for (let i = 0; i + 1 < flat.length; i += 2) out[flat[i]!] = flat[i + 1]!;
  if (cookie !== null) out.cookie = cookie;
  return out;
}

/** A Node response's headers as a transport response holds them: repeated ones joined, Set-Cookie lines apart. */
export function flatHeaders(raw: Record<string, string | string[] | undefined>): { headers: Record<string, string>; setCookie: string[] } {
  const headers: Record<string, string> = {};
  let setCookie: string[] = [];
  for (const [name, value] of Object.entries(raw)) {
    if (value === undefined) continue;
    if (name === 'set-cookie') setCookie = Array.isArray(value) ? value : [value];
    else headers[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return { headers, setCookie };
}

class NodeSocket implements ProbeSocket {
  private released: Promise<void> | null = null;

  constructor(
    private readonly ws: WebSocket,
    private readonly queue: SocketFrameQueue,
  ) {}

  async send(text: string): Promise<boolean> {
    if (this.queue.closed || this.ws.readyState !== WebSocket.OPEN) return false;
    return new Promise((resolve) => this.ws.send(text, (error) => resolve(!error)));
  }

  receive(options: SocketReceiveOptions, signal?: AbortSignal) {
    return this.queue.receive(options, signal);
  }

  close(): Promise<void> {
    this.released ??= new Promise<void>((resolve) => {
      this.queue.close({ code: 1000, reason: 'closed by the probe' });
      if (this.ws.readyState === WebSocket.CLOSED) return resolve();
      // A clean close first, so the server ends the session as a browser's tab closing would; then the hard way.
      const timer = setTimeout(() => this.ws.terminate(), 1000);
      this.ws.once('close', () => {
        clearTimeout(timer);
        resolve();
      });
      this.ws.close(1000);
    });
    return this.released;
  }
}

/**
 * Where a held connection goes, with the run's address overrides and address guard; a failure when the request head
 * could not be sent as it is. Shared by held WebSockets and held streaming responses.
 */
export function connectTarget(request: TransportRequest, options: SocketOptions) {
  const { url } = request;
  try {
    checkHead(request);
  } catch (error) {
    if (error instanceof UnsendableRequestError) return { ok: false as const, error: { code: 'other' as const, message: error.message } };
    throw error;
  }
  return {
    ok: true as const,
    secure: url.protocol === 'https:',
    address: overrideLookup(options.resolve ?? [])(url.host, url.port),
    servername: net.isIP(url.host) ? undefined : url.host,
    lookup: options.allowAddress ? guardedLookup(options.allowAddress) : undefined,
  };
}

/** Opens one WebSocket and, when the server accepts it, holds it open as a `ProbeSocket`. */
export function openSocketNode(request: TransportRequest, options: SocketOptions = {}, signal?: AbortSignal): Promise<SocketOpenResult> {
  if (signal?.aborted) return Promise.resolve(ABORTED);
  const { url } = request;
  const timeoutMs = options.timeoutMs ?? 10_000;
  const cap = options.maxBodyBytes ?? 64 * 1024;
  const target = connectTarget(request, options);
  if (!target.ok) return Promise.resolve(target);
  const { secure, address, servername, lookup } = target;

  return new Promise<SocketOpenResult>((resolve) => {
    const t0 = performance.now();
    const queue = new SocketFrameQueue({ ...SOCKET_LIMITS, ...options.limits });
    let settled = false;
    let head: { status: number; headers: Record<string, string>; setCookie: string[]; ttfbMs: number } | null = null;
    let ws: WebSocket;
    try {
      ws = new WebSocket(url.href.replace(/^http/, 'ws'), {
        headers: headerRecord(request.headers, request.cookieHeader),
        handshakeTimeout: timeoutMs,
        perMessageDeflate: false,
        followRedirects: false,
        maxPayload: SOCKET_LIMITS.maxPayloadBytes,
        rejectUnauthorized: !options.insecureTls,
        // The URL, Host header, SNI and cookies keep the hostname; only the address connected to changes. `path` is
        // the request path here, which net.connect would take for a Unix socket.
        createConnection: ((opts: tls.ConnectionOptions) => {
          const connectTo = { ...opts, path: undefined, host: address ?? url.host, lookup };
          return secure ? tls.connect({ ...connectTo, servername }) : net.connect(connectTo as net.NetConnectOpts);
        }) as unknown as typeof net.createConnection,
      });
    } catch (error) {
      resolve({ ok: false, error: toProbeError(error) });
      return;
    }
    const onAbort = () => fail(ABORTED);
    signal?.addEventListener('abort', onAbort, { once: true });
    const settle = (result: SocketOpenResult) => {
      if (settled) return;
      settled = true;
      signal?.removeEventListener('abort', onAbort);
      resolve(result);
    };
    const fail = (result: SocketOpenResult) => {
      if (settled) return;
      ws.removeAllListeners();
      ws.on('error', () => undefined);
      ws.terminate();
      settle(result);
    };
    const refused = (body: string, truncated: boolean) => {
      if (!head) return fail({ ok: false, error: { code: 'protocol', message: 'the WebSocket answered without a handshake response' } });
      fail({ ok: true, status: head.status, headers: head.headers, setCookie: head.setCookie, bodyPrefix: body, bodyTruncated: truncated, ttfbMs: head.ttfbMs, socket: null });
    };

    ws.on('upgrade', (res) => {
      head = { status: res.statusCode ?? 101, ...flatHeaders(res.headers), ttfbMs: performance.now() - t0 };
    });
    ws.on('open', () => {
      const socket = new NodeSocket(ws, queue);
      ws.on('message', (data, isBinary) => queue.push(isBinary ? '' : data.toString(), isBinary));
      ws.on('close', (code, reason) => queue.close({ code, reason: reason.toString() }));
      if (request.body !== null) ws.send(request.body);
      const h = head ?? { status: 101, headers: {}, setCookie: [], ttfbMs: performance.now() - t0 };
      settle({ ok: true, status: h.status, headers: h.headers, setCookie: h.setCookie, bodyPrefix: '', bodyTruncated: false, ttfbMs: h.ttfbMs, socket });
    });
    ws.on('unexpected-response', (req, res) => {
      head = { status: res.statusCode ?? 0, ...flatHeaders(res.headers), ttfbMs: performance.now() - t0 };
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        body += chunk;
        if (body.length > cap) refused(body.slice(0, cap), true);
      });
      res.on('end', () => refused(body, false));
      res.on('error', () => refused(body, false));
      req.on('error', () => undefined);
    });
    ws.on('error', (error) => {
      if (settled) queue.close({ code: 1006, reason: error.message });
      else fail({ ok: false, error: toProbeError(error) });
    });
  });
}
