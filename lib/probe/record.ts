// One probe request turned into one compact record: the jar, the transport and identity detection in a row.
// The engine drives it in a loop; a browser-side loop can drive it just as well with a relay as its transport.
import { AppSessionTracker } from './protocols/app-session';
import { compileIdentity, isLikelyBalancerCookie, type CookieDecoder, type Identity, type IdentityInput } from './identity';
import { BrowserCookieJar } from './jar';
import type { ProbeSpec } from './spec';
import { upgradeOf } from './protocols/socket-upgrade';
import type {
  CookieHeaderResult,
  ProbeRecord,
  ProbeSocket,
  ProbeTransport,
  TransportFailure,
  TransportResult,
  ProbeUrl,
  SetCookieEvent,
  TransportRequest,
  TransportResponse,
} from './types';
import { toProbeUrl } from './url';

export type ProbeSessionOptions = {
  decode?: CookieDecoder;
  /** Start from this jar (e.g. one restored with `BrowserCookieJar.fromJSON`). */
  jar?: BrowserCookieJar;
  /** Epoch ms for cookie expiry; injectable for tests. */
  now?: () => number;
  /** Monotonic ms for latency. */
  perfNow?: () => number;
};

const USER_AGENT = 'stickyscope-probe/0.1';
const NO_EVENTS: readonly SetCookieEvent[] = Object.freeze([]);

function valueFor(cookie: CookieHeaderResult, name: string): string | null {
  const i = cookie.sent.indexOf(name);
  return i === -1 ? null : (cookie.values[i] ?? null);
}

function valueSet(events: readonly SetCookieEvent[], name: string): string | null {
  let v: string | null = null;
  for (const e of events) if (e.name === name && e.outcome !== 'deleted') v = e.value;
  return v;
}

/** One request of a protocol step: its own URL, method, body and headers; `upgrade` opens a WebSocket instead. */
export type SessionRequest = Omit<TransportRequest, 'cookieHeader'> & { upgrade?: boolean };

export type Exchange = {
  record: ProbeRecord;
  /** The response, for a protocol step to read; null when the transport failed. */
  response: TransportResponse | null;
};

/** A socket opened through the jar: the handshake as a record, and the socket when the server accepted it. */
export type SocketExchange = Exchange & { socket: ProbeSocket | null };

const NO_SOCKETS: TransportFailure = { ok: false, error: { code: 'other', message: "this transport cannot open a WebSocket with the run's cookies" } };
const NO_STREAMS: TransportFailure = { ok: false, error: { code: 'other', message: "this transport cannot hold a streaming response with the run's cookies" } };
/** Bounds on the one-shot upgrade's answer frame when a transport builds it from `openSocket`. */
const UPGRADE_ANSWER_CHARS = 64 * 1024;

export class ProbeSession {
  readonly url: ProbeUrl;
  readonly jar: BrowserCookieJar;
  private readonly identify: (input: IdentityInput) => Identity;
  private readonly decode: CookieDecoder | undefined;
  private readonly perfNow: () => number;
  private readonly request: Omit<TransportRequest, 'cookieHeader'>;
  private balancerName: string | null;
  private readonly balancerFixed: boolean;
  private readonly appSession: AppSessionTracker | null;

  constructor(
    readonly spec: ProbeSpec,
    options: ProbeSessionOptions = {},
  ) {
    this.url = toProbeUrl(spec.target);
    this.jar = options.jar ?? new BrowserCookieJar({ now: options.now, store: spec.cookies === 'browser' });
    this.identify = compileIdentity(spec.identity);
    this.decode = options.decode;
    this.perfNow = options.perfNow ?? (() => performance.now());
    const headers: string[] = [];
    let hasUserAgent = false;
    for (const [name, value] of Object.entries(spec.headers)) {
      headers.push(name.toLowerCase(), value);
      if (name.toLowerCase() === 'user-agent') hasUserAgent = true;
    }
    if (!hasUserAgent) headers.push('user-agent', USER_AGENT);
    this.request = { url: this.url, method: spec.method, headers, body: spec.body };
    const named = spec.balancerCookie ?? (typeof spec.identity === 'object' && 'cookie' in spec.identity ? spec.identity.cookie : null);
    this.balancerName = named;
    this.balancerFixed = named !== null;
    this.appSession = spec.appSessionCookie === 'off' ? null : new AppSessionTracker(spec.appSessionCookie);
  }

  /** The run's request headers plus `extra` name/value pairs, for protocol steps. */
  headersWith(extra: readonly string[]): readonly string[] {
    return [...this.request.headers, ...extra];
  }

  /** The balancer's sticky cookie name: configured, or the first well-known one the balancer set. */
  get balancerCookie(): string | null {
    return this.balancerName;
  }

  /** Sends request `index` (1-based) and returns its record. Never throws for a network failure. */
  async step(index: number, transport: ProbeTransport, startedAt: number, signal?: AbortSignal): Promise<ProbeRecord> {
    return (await this.exchange(index, transport, startedAt, this.request, signal)).record;
  }

  /** Sends one request through the jar and returns its record with the response. Never throws for a network failure. */
  async exchange(index: number, transport: ProbeTransport, startedAt: number, request: SessionRequest, signal?: AbortSignal): Promise<Exchange> {
    return this.through(index, startedAt, request, (outgoing) => {
      if (!request.upgrade) return transport.send(outgoing, signal);
      const upgrade = upgradeOf(transport, { timeoutMs: this.spec.timeoutMs, maxChars: UPGRADE_ANSWER_CHARS });
      return upgrade ? upgrade(outgoing, signal) : Promise.resolve(NO_SOCKETS);
    }, transport);
  }

  /**
   * Opens a WebSocket at `request.url` with the jar's cookies and keeps it open; the handshake's Set-Cookie lines go
   * into the jar like any response's. The caller owns the socket and closes it.
   */
  openSocket(index: number, transport: ProbeTransport, startedAt: number, request: SessionRequest, signal?: AbortSignal): Promise<SocketExchange> {
    return this.hold(index, transport, startedAt, request, transport.openSocket?.bind(transport), NO_SOCKETS, signal);
  }

  /**
   * Sends `request` with the jar's cookies and holds its response open (`ProbeTransport.openStream`): a SockJS
   * xhr-streaming response or long poll. The head's Set-Cookie lines go into the jar; the caller closes the stream.
   */
  openStream(index: number, transport: ProbeTransport, startedAt: number, request: SessionRequest & { timeoutMs?: number }, signal?: AbortSignal): Promise<SocketExchange> {
    return this.hold(index, transport, startedAt, request, transport.openStream?.bind(transport), NO_STREAMS, signal);
  }

  private async hold(
    index: number,
    transport: ProbeTransport,
    startedAt: number,
    request: SessionRequest & { timeoutMs?: number },
    open: ProbeTransport['openSocket'],
    missing: TransportFailure,
    signal?: AbortSignal,
  ): Promise<SocketExchange> {
    let socket: ProbeSocket | null = null;
    const exchange = await this.through(index, startedAt, request, async (outgoing) => {
      if (!open) return missing;
      const opened = await open({ ...outgoing, timeoutMs: request.timeoutMs }, signal);
      if (!opened.ok) return opened;
      const { socket: held, ...response } = opened;
      socket = held;
      return response;
    }, transport);
    return { ...exchange, socket };
  }

  private async through(
    index: number,
    startedAt: number,
    request: SessionRequest,
    send: (outgoing: TransportRequest) => Promise<TransportResult>,
    transport: ProbeTransport,
  ): Promise<Exchange> {
    const cookie = this.jar.cookieHeaderFor(request.url);
    const outgoing: TransportRequest = {
      url: request.url,
      method: request.method,
      headers: request.headers,
      body: request.body,
      cookieHeader: cookie.header,
      needsBody: request.needsBody,
    };
    const t = this.perfNow();
    const res = await send(outgoing);
    const latencyMs = this.perfNow() - t;
    if (!res.ok) {
      const name = this.balancerName;
      const record: ProbeRecord = {
        index,
        startedAt,
        latencyMs,
        status: null,
        replica: null,
        identitySource: null,
        setCookies: NO_EVENTS,
        cookieSent: cookie.sent,
        withheld: cookie.withheld,
        balancer: name === null ? null : { name, sent: valueFor(cookie, name), set: null },
        error: res.error,
        bodyTruncated: false,
        transport: transport.kind,
      };
      return { record, response: null };
    }
    const setCookies = res.setCookie.length ? this.jar.setCookies(request.url, res.setCookie) : NO_EVENTS;
    if (!this.balancerFixed && this.balancerName === null) {
      for (const e of setCookies) {
        if (isLikelyBalancerCookie(e.name)) {
          this.balancerName = e.name;
          break;
        }
      }
    }
    const name = this.balancerName;
    const balancer = name === null ? null : { name, sent: valueFor(cookie, name), set: valueSet(setCookies, name) };
    const id = this.identify({ response: res, balancerCookie: balancer, decode: this.decode });
    const record: ProbeRecord = {
      index,
      startedAt,
      latencyMs,
      status: res.status,
      replica: id.replica,
      identitySource: id.source,
      setCookies,
      cookieSent: cookie.sent,
      withheld: cookie.withheld,
      balancer,
      error: null,
      bodyTruncated: res.bodyTruncated,
      transport: transport.kind,
    };
    const app = this.appSession?.observe(cookie, setCookies, name);
    if (app) record.appSession = app;
    return { record, response: res };
  }
}
