// A held HTTP response from Node, read as it arrives: the body's lines become frames, queued like a WebSocket's until
// the caller takes them. SockJS's xhr transports need this: an xhr-streaming response stays open for minutes, and a
// long poll answers only when the server has something to say, on a connection of its own beside the run's requests.
//
// Node only, like transport-node.ts: not fenced with `server-only` because the CLI runs outside Next.js.
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import tls from 'node:tls';
import { SOCKET_LIMITS } from '../spec';
import { toProbeError } from '../transport-node';
import type { ProbeSocket, SocketOpenResult, SocketReceiveOptions, TransportRequest } from '../types';
import { connectTarget, flatHeaders, headerRecord, type SocketOptions } from './socket-node';
import { SocketFrameQueue } from './socket-queue';

const ABORTED: SocketOpenResult = { ok: false, error: { code: 'aborted', message: 'the run was stopped' } };

/**
 * Splits a body into lines as chunks arrive. A line longer than `maxChars` is handed on with one character past the
 * bound (so the frame queue cuts and flags it) and the rest of it skipped: memory stays bounded whatever the server sends.
 */
export class LineSplitter {
  private partial = '';
  private skipping = false;

  constructor(private readonly maxChars: number) {}

  /** The complete lines in this chunk, without their `\n`. */
  push(chunk: string): string[] {
    const out: string[] = [];
    let from = 0;
    for (let nl = chunk.indexOf('\n'); nl !== -1; nl = chunk.indexOf('\n', from)) {
      if (!this.skipping) out.push(this.partial + chunk.slice(from, nl));
      this.partial = '';
      this.skipping = false;
      from = nl + 1;
    }
    if (this.skipping) return out;
    this.partial += chunk.slice(from);
    if (this.partial.length > this.maxChars) {
      out.push(this.partial.slice(0, this.maxChars + 1));
      this.partial = '';
      this.skipping = true;
    }
    return out;
  }

  /** What is left once the body ended: a last line without its `\n`, if any. */
  end(): string | null {
    const rest = this.skipping || this.partial === '' ? null : this.partial;
    this.partial = '';
    return rest;
  }
}

/** The held response: `receive` takes its lines; `send` is refused (the request was sent whole); `close` drops it. */
class HeldResponse implements ProbeSocket {
  private released: Promise<void> | null = null;
  private gone = false;

  constructor(
    private readonly req: http.ClientRequest,
    private readonly queue: SocketFrameQueue,
  ) {
    req.once('close', () => (this.gone = true));
  }

  async send(): Promise<boolean> {
    return false;
  }

  receive(options: SocketReceiveOptions, signal?: AbortSignal) {
    return this.queue.receive(options, signal);
  }

  close(): Promise<void> {
    this.released ??= new Promise<void>((resolve) => {
      this.queue.close({ code: 1000, reason: 'closed by the probe' });
      if (this.gone) return resolve();
      this.req.once('close', () => resolve());
      this.req.destroy();
    });
    return this.released;
  }
}

/**
 * Sends one request on a connection of its own. A 2xx answer resolves at its head with the body held open as a
 * `ProbeSocket` of lines (closed with code 1000 when the body ends, 1006 when the connection fails); any other status
 * resolves once its body (up to the cap) has arrived, with `socket` null. `request.timeoutMs` bounds the wait for the
 * head (a long poll's head comes with its first frame); the held body has no timeout of its own.
 */
export function openStreamNode(request: TransportRequest, options: SocketOptions = {}, signal?: AbortSignal): Promise<SocketOpenResult> {
  if (signal?.aborted) return Promise.resolve(ABORTED);
  const { url } = request;
  const timeoutMs = request.timeoutMs ?? options.timeoutMs ?? 10_000;
  const cap = options.maxBodyBytes ?? 64 * 1024;
  const limits = { ...SOCKET_LIMITS, ...options.limits };
  const target = connectTarget(request, options);
  if (!target.ok) return Promise.resolve(target);
  const { secure, address, servername, lookup } = target;

  return new Promise<SocketOpenResult>((resolve) => {
    const t0 = performance.now();
    const queue = new SocketFrameQueue(limits);
    let settled = false;
    const headers = headerRecord(request.headers, request.cookieHeader);
    if (request.body !== null) headers['content-length'] = String(Buffer.byteLength(request.body));
    const req = (secure ? https : http).request({
      method: request.method,
      host: url.host,
      port: url.port,
      path: url.pathAndQuery,
      headers,
      agent: false,
      rejectUnauthorized: !options.insecureTls,
      // As for WebSockets: the URL, Host header, SNI and cookies keep the hostname; only the address changes.
      createConnection: () => {
        const connectTo = { host: address ?? url.host, port: url.port, lookup };
        return secure ? tls.connect({ ...connectTo, servername, rejectUnauthorized: !options.insecureTls }) : net.connect(connectTo);
      },
    });
    const timer = setTimeout(() => fail({ ok: false, error: { code: 'timeout', message: 'timed out waiting for the response' } }), timeoutMs);
    const onAbort = () => fail(ABORTED);
    signal?.addEventListener('abort', onAbort, { once: true });
    const settle = (result: SocketOpenResult) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      resolve(result);
    };
    const fail = (result: SocketOpenResult) => {
      if (settled) return;
      req.destroy();
      settle(result);
    };

    req.on('error', (error) => {
      if (settled) queue.close({ code: 1006, reason: error.message });
      else fail({ ok: false, error: toProbeError(error) });
    });
    req.on('response', (res) => {
      const head = { status: res.statusCode ?? 0, ...flatHeaders(res.headers), ttfbMs: performance.now() - t0 };
      res.setEncoding('utf8');
      if (head.status < 200 || head.status > 299) {
        let body = '';
        const refused = (truncated: boolean) => {
          settle({ ok: true, ...head, bodyPrefix: body.slice(0, cap), bodyTruncated: truncated, socket: null });
          req.destroy();
        };
        res.on('data', (chunk: string) => {
          body += chunk;
          if (body.length > cap) refused(true);
        });
        res.on('end', () => refused(false));
        res.on('error', () => refused(false));
        return;
      }
      const lines = new LineSplitter(limits.maxFrameChars);
      res.on('data', (chunk: string) => {
        for (const line of lines.push(chunk)) queue.push(line, false);
      });
      res.on('end', () => {
        const rest = lines.end();
        if (rest !== null) queue.push(rest, false);
        queue.close({ code: 1000, reason: 'the response ended' });
      });
      res.on('error', (error) => queue.close({ code: 1006, reason: error.message }));
      res.on('close', () => queue.close({ code: 1006, reason: 'the connection closed' }));
      settle({ ok: true, ...head, bodyPrefix: '', bodyTruncated: false, socket: new HeldResponse(req, queue) });
    });
    req.end(request.body ?? undefined);
  });
}
