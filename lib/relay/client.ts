// The browser's transport for relay mode: each request is one POST to /api/relay, and a WebSocket a protocol holds
// (Shiny) lives at the relay, used by its id. The jar stays in the page (the engine's `BrowserCookieJar`), so the
// relay sees only the Cookie header the jar chose to send.
import { identityReadsBody } from '@/lib/probe/identity';
import type { ProbeSpec } from '@/lib/probe/spec';
import type { ResolveOverride } from '@/lib/probe/resolve';
import type {
  ProbeSocket,
  ProbeTransport,
  SocketClose,
  SocketOpenResult,
  SocketReceipt,
  SocketReceiveOptions,
  TransportFailure,
  TransportRequest,
  TransportResponse,
  TransportResult,
} from '@/lib/probe/types';
import {
  RELAY_MAX_BODY_BYTES,
  RELAY_MAX_CONNECTIONS,
  type RelayRequest,
  type RelayResult,
  type RelaySocketCloseRequest,
  type RelaySocketOpenRequest,
  type RelaySocketOpenResult,
  type RelaySocketReceiveRequest,
  type RelaySocketSendRequest,
  type RelaySocketSendResult,
  type RelayUpgradeRequest,
} from './schema';

export type RelayTransportOptions = {
  resolve: readonly ResolveOverride[];
  timeoutMs: number;
  insecureTls: boolean;
  concurrency: number;
  /** Whether identity needs the body; when not, the relay returns none. */
  readsBody: boolean;
  exposeHeaders: readonly string[];
  endpoint?: string;
  fetch?: typeof fetch;
  /** The run's id at the relay; a fresh random one by default. */
  run?: string;
};

/** 128 random bits, URL-safe: the relay keeps a run's connections under this id, apart from every other run's. */
export function newRelayRunId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

/** The relay refused the run itself (disallowed host, invalid input): no later request can do better. */
export class RelayRefusedError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status: number,
  ) {
    super(message);
    this.name = 'RelayRefusedError';
  }
}

export class RelayTransport implements ProbeTransport {
  readonly seesCookies = true;
  readonly kind = 'relay';
  private refused: RelayRefusedError | null = null;
  private readonly endpoint: string;
  private readonly doFetch: typeof fetch;
  private readonly run: string;

  constructor(private readonly options: RelayTransportOptions) {
    this.endpoint = options.endpoint ?? '/api/relay';
    this.run = options.run ?? newRelayRunId();
    this.doFetch = options.fetch ?? ((input, init) => fetch(input, init));
  }

  async send(request: TransportRequest, signal?: AbortSignal): Promise<TransportResult> {
    const o = this.options;
    const body: RelayRequest = {
      run: this.run,
      url: request.url.href,
      method: request.method as RelayRequest['method'],
      headers: [...request.headers],
      cookie: request.cookieHeader,
      body: request.body,
      resolve: this.resolve(),
      timeoutMs: o.timeoutMs,
      insecureTls: o.insecureTls,
      connections: Math.min(Math.max(1, o.concurrency), RELAY_MAX_CONNECTIONS),
      maxBodyBytes: o.readsBody || request.needsBody ? RELAY_MAX_BODY_BYTES : 0,
      exposeHeaders: [...o.exposeHeaders],
    };
    return this.post(this.endpoint, body, signal);
  }

  /** A WebSocket upgrade opened by the dashboard server (`POST <endpoint>/upgrade`), carrying the jar's cookie. */
  async upgrade(request: TransportRequest, signal?: AbortSignal): Promise<TransportResult> {
    const o = this.options;
    const body: RelayUpgradeRequest = {
      url: request.url.href,
      headers: [...request.headers],
      cookie: request.cookieHeader,
      frame: request.body ?? '',
      resolve: this.resolve(),
      timeoutMs: o.timeoutMs,
      insecureTls: o.insecureTls,
      exposeHeaders: [...o.exposeHeaders],
    };
    return this.post(`${this.endpoint}/upgrade`, body, signal);
  }

  /**
   * A WebSocket the dashboard server opens and holds for this run (`POST <endpoint>/socket`), carrying the jar's
   * cookie; the page then talks on it by the id the relay hands back.
   */
  async openSocket(request: TransportRequest, signal?: AbortSignal): Promise<SocketOpenResult> {
    const o = this.options;
    const body: RelaySocketOpenRequest = {
      run: this.run,
      url: request.url.href,
      headers: [...request.headers],
      cookie: request.cookieHeader,
      frame: request.body,
      resolve: this.resolve(),
      timeoutMs: o.timeoutMs,
      insecureTls: o.insecureTls,
      exposeHeaders: [...o.exposeHeaders],
    };
    const answer = await this.call(`${this.endpoint}/socket`, body, signal);
    if (!answer.ok) return { ok: false, error: answer.error };
    const r = answer.payload as RelaySocketOpenResult;
    if (!r.ok) return { ok: false, error: r.error };
    const socket = r.socket === null ? null : new RelaySocket(r.socket, this.run, (path, b, s) => this.call(`${this.endpoint}/socket/${path}`, b, s));
    return { ...toTransportResponse(r), socket };
  }

  private resolve(): RelayRequest['resolve'] {
    return this.options.resolve.map((r) => ({ host: r.host, port: r.port, address: r.address }));
  }

  private async post(endpoint: string, body: RelayRequest | RelayUpgradeRequest, signal?: AbortSignal): Promise<TransportResult> {
    const answer = await this.call(endpoint, body, signal);
    if (!answer.ok) return { ok: false, error: answer.error };
    const r = answer.payload as RelayResult;
    if (!r.ok) return { ok: false, error: r.error };
    return toTransportResponse(r);
  }

  /** One POST to the relay: its JSON answer, or why there is none. A refusal of the run itself is thrown. */
  private async call(endpoint: string, body: unknown, signal?: AbortSignal): Promise<RelayAnswer> {
    // Thrown, not returned: a refusal is about the run, not this request; the caller stops the run and says why.
    if (this.refused) throw this.refused;
    let response: Response;
    try {
      response = await this.doFetch(endpoint, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
        signal,
        cache: 'no-store',
      });
    } catch (error) {
      if (signal?.aborted) return { ok: false, status: null, error: { code: 'aborted', message: 'the run was stopped' } };
      return { ok: false, status: null, error: { code: 'other', message: `the dashboard's relay could not be reached: ${String(error)}` } };
    }
    let payload: unknown;
    try {
      payload = await response.json();
    } catch {
      if (signal?.aborted) return { ok: false, status: null, error: { code: 'aborted', message: 'the run was stopped' } };
      payload = null;
    }
    if (!response.ok) {
      const err = (payload as { error?: { code?: string; message?: string } } | null)?.error;
      const message = err?.message ?? `the relay answered HTTP ${response.status}`;
      if (response.status === 400 || response.status === 403) {
        this.refused = new RelayRefusedError(err?.code ?? 'invalid-input', message, response.status);
        throw this.refused;
      }
      return { ok: false, status: response.status, error: { code: 'other', message: `relay: ${message}` } };
    }
    return { ok: true, payload };
  }
}

type RelayAnswer = { ok: true; payload: unknown } | (TransportFailure & { status: number | null });
type RelayCall = (path: 'send' | 'receive' | 'close', body: unknown, signal?: AbortSignal) => Promise<RelayAnswer>;

function toTransportResponse(r: Extract<RelayResult, { ok: true }>): TransportResponse {
  return { ok: true, status: r.status, headers: r.headers, setCookie: r.setCookie, bodyPrefix: r.bodyPrefix, bodyTruncated: r.bodyTruncated, ttfbMs: r.ttfbMs };
}

/** A socket the relay holds for this run, used by its id; a socket the relay no longer has reads as closed. */
class RelaySocket implements ProbeSocket {
  private closed: SocketClose | null = null;
  private closing: Promise<void> | null = null;

  constructor(
    private readonly id: string,
    private readonly run: string,
    private readonly call: RelayCall,
  ) {}

  async send(text: string, signal?: AbortSignal): Promise<boolean> {
    if (this.closed) return false;
    const answer = await this.call('send', { run: this.run, socket: this.id, text } satisfies RelaySocketSendRequest, signal);
    if (!answer.ok) {
      this.lost(answer);
      return false;
    }
    return (answer.payload as RelaySocketSendResult).sent === true;
  }

  async receive(options: SocketReceiveOptions, signal?: AbortSignal): Promise<SocketReceipt> {
    if (this.closed) return { frames: [], ended: 'closed', closed: this.closed, dropped: 0 };
    const body: RelaySocketReceiveRequest = { run: this.run, socket: this.id, until: options.until, maxFrames: options.maxFrames, maxChars: options.maxChars, timeoutMs: options.timeoutMs };
    const answer = await this.call('receive', body, signal);
    if (answer.ok) {
      const receipt = answer.payload as SocketReceipt;
      this.closed ??= receipt.closed;
      return receipt;
    }
    if (answer.error.code === 'aborted') return { frames: [], ended: 'aborted', closed: null, dropped: 0 };
    this.lost(answer);
    return { frames: [], ended: 'closed', closed: this.closed, dropped: 0 };
  }

  close(): Promise<void> {
    this.closing ??= (async () => {
      this.closed ??= { code: 1000, reason: 'closed by the probe' };
      // A socket the relay no longer holds is closed already; any other failure leaves it to the relay's own sweep.
      await this.call('close', { run: this.run, socket: this.id } satisfies RelaySocketCloseRequest).catch(() => undefined);
    })();
    return this.closing;
  }

  /** Past a failed call the socket is as good as gone: its frames can no longer reach the page. */
  private lost(answer: TransportFailure & { status: number | null }): void {
    if (answer.error.code === 'aborted') return;
    this.closed ??= { code: 1006, reason: answer.error.message };
  }
}

/** The relay transport a run of `spec` needs: its overrides and timeouts, the body only when identity reads it. */
export function relayTransportFor(spec: ProbeSpec, endpoint?: string): RelayTransport {
  return new RelayTransport({
    resolve: spec.resolve,
    timeoutMs: spec.timeoutMs,
    insecureTls: spec.insecureTls,
    concurrency: spec.concurrency,
    readsBody: identityReadsBody(spec.identity),
    exposeHeaders: typeof spec.identity === 'object' && 'header' in spec.identity ? [spec.identity.header] : [],
    endpoint,
  });
}
