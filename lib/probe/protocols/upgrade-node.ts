// One WebSocket upgrade attempt from Node (the CLI, and the relay on behalf of a browser), with the run's cookies,
// headers and address overrides: send one text frame, wait for the first frame back, close.
//
// Node only, like transport-node.ts: not fenced with `server-only` because the CLI runs outside Next.js.
import net from 'node:net';
import tls from 'node:tls';
import WebSocket from 'ws';
import { overrideLookup, type ResolveOverride } from '../resolve';
import { guardedLookup, type AddressGuard } from '../connect-guard';
import { checkHead, toProbeError, UnsendableRequestError } from '../transport-node';
import type { ProbeTransport, TransportRequest, TransportResult } from '../types';

export type UpgradeOptions = {
  resolve?: readonly ResolveOverride[];
  timeoutMs?: number;
  insecureTls?: boolean;
  /** Most characters kept of the answer frame or a refusal's body. */
  maxBodyBytes?: number;
  /** Refuses addresses a hostname resolves to, as in the Node transport. */
  allowAddress?: AddressGuard;
};

const ABORTED: TransportResult = { ok: false, error: { code: 'aborted', message: 'the run was stopped' } };

function headerRecord(flat: readonly string[], cookie: string | null): Record<string, string> {
  const out: Record<string, string> = {};
  for (let i = 0; i + 1 < flat.length; i += 2) out[flat[i]!] = flat[i + 1]!;
  if (cookie !== null) out.cookie = cookie;
  return out;
}

function flatHeaders(raw: Record<string, string | string[] | undefined>): { headers: Record<string, string>; setCookie: string[] } {
  const headers: Record<string, string> = {};
  let setCookie: string[] = [];
  for (const [name, value] of Object.entries(raw)) {
    if (value === undefined) continue;
    if (name === 'set-cookie') setCookie = Array.isArray(value) ? value : [value];
    else headers[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return { headers, setCookie };
}

export function upgradeOnce(request: TransportRequest, options: UpgradeOptions = {}, signal?: AbortSignal): Promise<TransportResult> {
  if (signal?.aborted) return Promise.resolve(ABORTED);
  const { url } = request;
  const timeoutMs = options.timeoutMs ?? 10_000;
  const cap = options.maxBodyBytes ?? 64 * 1024;
  const secure = url.protocol === 'https:';
  const address = overrideLookup(options.resolve ?? [])(url.host, url.port);
  const servername = net.isIP(url.host) ? undefined : url.host;
  const lookup = options.allowAddress ? guardedLookup(options.allowAddress) : undefined;
  try {
    checkHead(request);
  } catch (error) {
    if (error instanceof UnsendableRequestError) return Promise.resolve({ ok: false, error: { code: 'other', message: error.message } });
    throw error;
  }

  return new Promise<TransportResult>((resolve) => {
    const t0 = performance.now();
    let settled = false;
    let head: { status: number; headers: Record<string, string>; setCookie: string[]; ttfbMs: number } | null = null;
    let ws: WebSocket;
    try {
      ws = openWebSocket();
    } catch (error) {
      resolve({ ok: false, error: toProbeError(error) });
      return;
    }
    function openWebSocket(): WebSocket {
      return new WebSocket(url.href.replace(/^http/, 'ws'), {
        headers: headerRecord(request.headers, request.cookieHeader),
        handshakeTimeout: timeoutMs,
        perMessageDeflate: false,
        followRedirects: false,
        maxPayload: cap,
        rejectUnauthorized: !options.insecureTls,
        // The URL, Host header, SNI and cookies keep the hostname; only the address connected to changes. `path` is
        // the request path here, which net.connect would take for a Unix socket.
        createConnection: ((opts: tls.ConnectionOptions) => {
          const connectTo = { ...opts, path: undefined, host: address ?? url.host, lookup };
          return secure ? tls.connect({ ...connectTo, servername }) : net.connect(connectTo as net.NetConnectOpts);
        }) as unknown as typeof net.createConnection,
      });
    }
    const finish = (result: TransportResult) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      ws.removeAllListeners();
      ws.on('error', () => undefined);
      ws.terminate();
      resolve(result);
    };
    const answered = (bodyPrefix: string, bodyTruncated: boolean) => {
      if (!head) return finish({ ok: false, error: { code: 'protocol', message: 'the WebSocket answered without a handshake response' } });
      finish({ ok: true, status: head.status, headers: head.headers, setCookie: head.setCookie, bodyPrefix, bodyTruncated, ttfbMs: head.ttfbMs });
    };
    // The handshake has its own timeout; this one bounds the wait for the answer frame.
    const timer = setTimeout(() => finish({ ok: false, error: { code: 'timeout', message: `no answer within ${timeoutMs} ms` } }), timeoutMs + 1000);
    const onAbort = () => finish(ABORTED);
    signal?.addEventListener('abort', onAbort, { once: true });

    ws.on('upgrade', (res) => {
      head = { status: res.statusCode ?? 101, ...flatHeaders(res.headers), ttfbMs: performance.now() - t0 };
    });
    ws.on('open', () => ws.send(request.body ?? ''));
    ws.on('message', (data, isBinary) => {
      const text = isBinary ? '' : data.toString();
      answered(text.slice(0, cap), text.length > cap);
    });
    ws.on('close', () => answered('', false));
    ws.on('unexpected-response', (req, res) => {
      head = { status: res.statusCode ?? 0, ...flatHeaders(res.headers), ttfbMs: performance.now() - t0 };
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        body += chunk;
        if (body.length > cap) answered(body.slice(0, cap), true);
      });
      res.on('end', () => answered(body, false));
      res.on('error', () => answered(body, false));
      req.on('error', () => undefined);
    });
    ws.on('error', (error) => finish({ ok: false, error: toProbeError(error) }));
  });
}

/** A transport that sends through `base` and opens WebSockets with `upgradeOnce`. */
export function withUpgrade<T extends ProbeTransport>(base: T, options: UpgradeOptions): T & Required<Pick<ProbeTransport, 'upgrade'>> {
  return Object.assign(base, { upgrade: (request: TransportRequest, signal?: AbortSignal) => upgradeOnce(request, options, signal) });
}
