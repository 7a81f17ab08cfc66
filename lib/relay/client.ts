// The browser's transport for relay mode: each request is one POST to /api/relay. The jar stays in the page
// (the engine's `BrowserCookieJar`), so the relay sees only the Cookie header the jar chose to send.
import { identityReadsBody } from '@/lib/probe/identity';
import type { ProbeSpec } from '@/lib/probe/spec';
import type { ResolveOverride } from '@/lib/probe/resolve';
import type { ProbeTransport, TransportRequest, TransportResult } from '@/lib/probe/types';
import { RELAY_MAX_BODY_BYTES, RELAY_MAX_CONNECTIONS, type RelayRequest, type RelayResult, type RelayUpgradeRequest } from './schema';

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

  private resolve(): RelayRequest['resolve'] {
    return this.options.resolve.map((r) => ({ host: r.host, port: r.port, address: r.address }));
  }

  private async post(endpoint: string, body: RelayRequest | RelayUpgradeRequest, signal?: AbortSignal): Promise<TransportResult> {
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
      if (signal?.aborted) return { ok: false, error: { code: 'aborted', message: 'the run was stopped' } };
      return { ok: false, error: { code: 'other', message: `the dashboard's relay could not be reached: ${String(error)}` } };
    }
    let payload: unknown;
    try {
      payload = await response.json();
    } catch {
      if (signal?.aborted) return { ok: false, error: { code: 'aborted', message: 'the run was stopped' } };
      payload = null;
    }
    if (!response.ok) {
      const err = (payload as { error?: { code?: string; message?: string } } | null)?.error;
      const message = err?.message ?? `the relay answered HTTP ${response.status}`;
      if (response.status === 400 || response.status === 403) {
        this.refused = new RelayRefusedError(err?.code ?? 'invalid-input', message, response.status);
        throw this.refused;
      }
      return { ok: false, error: { code: 'other', message: `relay: ${message}` } };
    }
    const r = payload as RelayResult;
    if (!r.ok) return { ok: false, error: r.error };
    return {
      ok: true,
      status: r.status,
      headers: r.headers,
      setCookie: r.setCookie,
      bodyPrefix: r.bodyPrefix,
      bodyTruncated: r.bodyTruncated,
      ttfbMs: r.ttfbMs,
    };
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
