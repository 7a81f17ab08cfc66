// Shapes shared by the probe engine, the relay route, the CLI and the UI. No runtime imports, JSON-safe values only.

// ---------------------------------------------------------------- cookies

export type SameSite = 'strict' | 'lax' | 'none';

/** Attributes as the `Set-Cookie` line stated them (after RFC 6265 parsing), before any rule was applied. */
export type CookieAttributes = {
  /** `Domain` without its leading dot, lower-cased; null when absent. */
  domain: string | null;
  /** `Path` when it starts with `/`; null when absent or unusable (the default path applies). */
  path: string | null;
  secure: boolean;
  httpOnly: boolean;
  /** Null when absent or not one of strict/lax/none (Chromium then treats it as Lax). */
  sameSite: SameSite | null;
  partitioned: boolean;
  /** Seconds; `Max-Age` wins over `Expires`. */
  maxAge: number | null;
  /** Epoch ms from `Expires`. */
  expires: number | null;
};

export const cookieRejectReasons = [
  'unparseable',
  'empty',
  'disallowed-character',
  'too-large',
  'secure-over-http',
  'samesite-none-insecure',
  'partitioned-insecure',
  'secure-prefix',
  'host-prefix',
  'domain-mismatch',
  'public-suffix-domain',
  'overwrite-secure',
  'cookies-disabled',
] as const;
export type CookieRejectReason = (typeof cookieRejectReasons)[number];

export const cookieWithholdReasons = ['secure-over-http', 'path', 'domain'] as const;
export type CookieWithholdReason = (typeof cookieWithholdReasons)[number];

/**
 * Why a URL may hold `Secure` cookies: a cryptographic scheme, or Chromium's "potentially trustworthy"
 * treatment of localhost, *.localhost and loopback IPs over plain http. Null: neither.
 */
export type SecureContext = 'https' | 'loopback' | null;

export type SetCookieOutcome = 'stored' | 'updated' | 'deleted' | 'rejected';

export type SetCookieEvent = {
  name: string;
  value: string;
  attributes: CookieAttributes;
  outcome: SetCookieOutcome;
  /** Set when `outcome` is `rejected`. */
  reason: CookieRejectReason | null;
  /** For a stored `Secure` cookie: which rule let it in (`loopback` is Chromium's localhost exception). */
  secureVia: SecureContext;
  /** The value this cookie replaced or deleted; null when there was none or it did not change. */
  previousValue: string | null;
};

export type WithheldCookie = { name: string; reason: CookieWithholdReason };

export type CookieHeaderResult = {
  /** Value for the `Cookie` request header, or null when nothing is sent. */
  header: string | null;
  sent: readonly string[];
  /** Values of `sent`, index for index. */
  values: readonly string[];
  withheld: readonly WithheldCookie[];
};

/** A cookie as the jar keeps it; also the serialised form a relay hands back and forth. */
export type StoredCookie = {
  name: string;
  value: string;
  domain: string;
  hostOnly: boolean;
  path: string;
  secure: boolean;
  httpOnly: boolean;
  sameSite: SameSite | null;
  partitioned: boolean;
  /** Epoch ms; null for a session cookie. */
  expiresAt: number | null;
  /** Creation order, for RFC 6265 Cookie header ordering. */
  creation: number;
};

// ---------------------------------------------------------------- transport

export const probeErrorCodes = [
  'refused',
  'timeout',
  'dns',
  'tls',
  'reset',
  'unreachable',
  'protocol',
  'too-many-redirects',
  'aborted',
  'other',
] as const;
export type ProbeErrorCode = (typeof probeErrorCodes)[number];

export type ProbeError = { code: ProbeErrorCode; message: string };

/** A target URL parsed once per run, so the hot path never re-parses it. */
export type ProbeUrl = {
  href: string;
  protocol: 'http:' | 'https:';
  /** `scheme://host:port` as undici and fetch expect it. */
  origin: string;
  /** Canonical hostname; IPv6 without brackets. */
  host: string;
  port: number;
  /** Path plus query, as sent on the request line. */
  pathAndQuery: string;
  /** Path only, for cookie path matching. */
  path: string;
  secureContext: SecureContext;
};

export type TransportRequest = {
  url: ProbeUrl;
  method: string;
  /** Extra headers as flat name/value pairs, built once per run. */
  headers: readonly string[];
  cookieHeader: string | null;
  body: string | null;
  /** The caller reads the body (a protocol step), whatever the identity needs. */
  needsBody?: boolean;
  /** For `openStream` only: longest wait for the response head (a long poll's comes with its first frame). */
  timeoutMs?: number;
};

export type TransportResponse = {
  ok: true;
  status: number;
  /** Lower-cased names; repeated headers other than set-cookie joined with ", ". */
  headers: Readonly<Record<string, string>>;
  /** Every `Set-Cookie` line, in order, verbatim. */
  setCookie: readonly string[];
  /** The body decoded as UTF-8, up to the transport's cap. */
  bodyPrefix: string;
  bodyTruncated: boolean;
  /** Time to response headers, when the transport can tell. */
  ttfbMs: number | null;
};

export type TransportFailure = { ok: false; error: ProbeError };

/**
 * Which way a request went: `node` is the engine's own HTTP client (the CLI), `relay` the dashboard server's relay
 * (`POST /api/relay`) with the page's cookie jar, `direct` the page's own fetch with the browser's real cookie jar.
 */
export const probeTransportKinds = ['node', 'relay', 'direct'] as const;
export type ProbeTransportKind = (typeof probeTransportKinds)[number];

export type TransportResult = TransportResponse | TransportFailure;

export interface ProbeTransport {
  /** Performs exactly one request, never follows redirects, never throws for a network failure. */
  send(request: TransportRequest, signal?: AbortSignal): Promise<TransportResult>;
  /** True when the transport lets us see and set cookies (relay, Node); false for a browser's own fetch. */
  readonly seesCookies: boolean;
  /**
   * Opens one WebSocket at the request's URL (http→ws) with its headers and cookie, sends `body` as the first text
   * frame and closes again. The result is the handshake response: status 101 with the first frame the server sent
   * back as `bodyPrefix`, or the refusal's status and body. Absent where the run's cookies cannot go along.
   */
  upgrade?(request: TransportRequest, signal?: AbortSignal): Promise<TransportResult>;
  /**
   * Opens a WebSocket at the request's URL (http→ws) with its headers and cookie and holds it open, for protocols
   * that keep a session on one socket (Shiny). A `body` is sent as the first text frame once the socket is open,
   * saving a round trip. The result is the handshake response: status 101 with `socket` set, or the refusal's status
   * and body with `socket` null. Absent where the run's cookies cannot go along. `upgrade` is this plus one frame
   * back and a close, so a transport with `openSocket` needs no `upgrade` of its own.
   */
  openSocket?(request: TransportRequest, signal?: AbortSignal): Promise<SocketOpenResult>;
  /**
   * Sends one HTTP request on a connection of its own and holds its response open, for protocols whose session
   * travels in long responses (SockJS's xhr-streaming and xhr-polling). A 2xx answer comes back at its head with
   * `socket` set: its body's lines are its frames, and it closes (code 1000) when the body ends; `send` on it is
   * refused. Any other status comes back whole with `socket` null. Absent where the run's cookies cannot go along.
   */
  openStream?(request: TransportRequest, signal?: AbortSignal): Promise<SocketOpenResult>;
  /** Named on every record it produces. */
  readonly kind?: ProbeTransportKind;
  close?(): Promise<void>;
}

// ---------------------------------------------------------------- held sockets

/** How much one `receive` call may return and how long it may wait. Every bound is required: a socket is a stream. */
export type SocketReceiveOptions = {
  /**
   * Return as soon as a frame containing this text has arrived (it is returned with the frames before it; later
   * ones stay queued). Absent: return at the first frame. Text, not a function, so a relay can apply it server-side.
   */
  until?: string;
  /** Most frames returned by this call. */
  maxFrames: number;
  /** Most characters returned by this call, frames together; the frame that crosses the bound is cut and flagged. */
  maxChars: number;
  /** Longest wait for the call, ms. */
  timeoutMs: number;
};

export type SocketFrame = {
  /** A text frame as sent; a binary frame is returned empty with `binary` set. */
  text: string;
  /** The frame was longer than the caller's bound (or the transport's) and was cut. */
  truncated: boolean;
  binary: boolean;
};

export const socketReceiveEnds = ['matched', 'max-frames', 'max-chars', 'timeout', 'closed', 'aborted'] as const;
export type SocketReceiveEnd = (typeof socketReceiveEnds)[number];

export type SocketClose = {
  /** The WebSocket close code; 1006 when the connection dropped without one. */
  code: number;
  reason: string;
};

export type SocketReceipt = {
  frames: SocketFrame[];
  /** Why the call returned. */
  ended: SocketReceiveEnd;
  /** Set once the socket is closed (by the server, by us, or because the connection failed). */
  closed: SocketClose | null;
  /** Frames dropped so far because too many were queued unread (the oldest go first). */
  dropped: number;
};

/**
 * One held WebSocket. Frames the server sends are queued (bounded by the transport) until `receive` takes them; one
 * `receive` at a time.
 */
export interface ProbeSocket {
  /** Sends one text frame; false when the socket is closed. */
  send(text: string, signal?: AbortSignal): Promise<boolean>;
  receive(options: SocketReceiveOptions, signal?: AbortSignal): Promise<SocketReceipt>;
  /** Closes the socket (code 1000); resolves once it is released. Safe to call twice. */
  close(): Promise<void>;
}

export type SocketOpenResult = (TransportResponse & { socket: ProbeSocket | null }) | TransportFailure;

// ---------------------------------------------------------------- records

/** Where a replica identity came from, e.g. `header:x-served-by`, `body:hostname`, `json:instance`, `cookie:SRV`. */
export type IdentitySource = string;

/** One request, kept small: a 10,000-request run holds 10,000 of these. */
export type ProbeRecord = {
  /** 1-based, in send order: "request 2" is index 2. */
  index: number;
  /** Ms since the run started. */
  startedAt: number;
  latencyMs: number;
  status: number | null;
  replica: string | null;
  identitySource: IdentitySource | null;
  /** Every Set-Cookie line of the response and what the jar did with it. */
  setCookies: readonly SetCookieEvent[];
  cookieSent: readonly string[];
  withheld: readonly WithheldCookie[];
  /** The balancer cookie's value sent and set on this request, when a balancer cookie is known. */
  balancer: { name: string; sent: string | null; set: string | null } | null;
  error: ProbeError | null;
  bodyTruncated: boolean;
  /** What the protocol made of this request (engine.io and session-route runs only). */
  protocol?: ProtocolFacts;
  /** The app's own session cookie on this request, once one is known. */
  appSession?: AppSessionFacts;
  /** The transport that sent it; with `direct` the browser kept the cookies, so the cookie fields are empty. */
  transport?: ProbeTransportKind;
};

/** What a run speaks once it runs. */
export const probeProtocols = ['http', 'engineio', 'session-route', 'shiny'] as const;
export type ProbeProtocol = (typeof probeProtocols)[number];

/** What a spec may ask for: a protocol, or `auto`, where the first page's answer decides (see `ProtocolDetection`). */
export const probeProtocolChoices = ['auto', ...probeProtocols] as const;
export type ProbeProtocolChoice = (typeof probeProtocolChoices)[number];

/**
 * `connect`: a Shiny session opened (socket, `init`, `config`, `values`); `reconnect`: another one opened to compare
 * with the first, when the app offers no session route; `send`: a SockJS `xhr_send` of an open session (its xhr
 * transports), which only the process holding the session accepts. The others as for engine.io and session routes.
 */
export const protocolPhases = ['handshake', 'join', 'post', 'upgrade', 'page', 'route', 'connect', 'reconnect', 'send'] as const;
export type ProtocolPhase = (typeof protocolPhases)[number];

/**
 * `ok`: the request reached the replica holding the session. `break`: the answer proves it reached another one
 * (engine.io `Session ID unknown`, a session route's 404). `error`: neither, e.g. a session the server closed.
 */
export const protocolOutcomes = ['ok', 'break', 'error'] as const;
export type ProtocolOutcome = (typeof protocolOutcomes)[number];

export type ProtocolFacts = {
  phase: ProtocolPhase;
  /** 1-based: which of the run's independent sessions (one per unit of concurrency) sent it. */
  lane: number;
  /** The engine.io session id, or the extracted session URL; null before one is known. */
  session: string | null;
  outcome: ProtocolOutcome;
  /** The protocol's answer, short: `ok`, `3probe`, `Session ID unknown`, `HTTP 404`. */
  answer: string | null;
  /** Shiny runs only: what this step learnt of the Shiny session (`session` holds its session id). */
  shiny?: ShinyFacts;
};

// ---------------------------------------------------------------- Shiny

/**
 * How a Shiny session travels: R Shiny and Shiny for Python serve `websocket/` beside the app; Shiny Server, Posit
 * Connect and similar front ends serve SockJS at `__sockjs__/` (multiplexed), over SockJS's WebSocket transport when
 * it opens, else over its xhr-streaming or xhr-polling fallbacks: HTTP requests (a held response or a long poll, plus
 * one `xhr_send` per message) that each must reach the process holding the session.
 */
export const shinyTransports = ['websocket', 'sockjs-websocket', 'sockjs-xhr-streaming', 'sockjs-xhr-polling'] as const;
export type ShinyTransport = (typeof shinyTransports)[number];

/** What a run may ask for: what a browser does (`auto`: WebSocket first, then the fallbacks), or one transport. */
export const shinyTransportChoices = ['auto', 'websocket', 'xhr-streaming', 'xhr-polling'] as const;
export type ShinyTransportChoice = (typeof shinyTransportChoices)[number];

/**
 * Session-scoped routes a Shiny session hands out (`session/<id>/<kind>/<output>?w=<worker>`): `dataobj` serves a
 * DT table in server-side mode (DataTables' Ajax POST), `download` a `downloadHandler`, `upload` a `fileInput`'s
 * upload job (from the `uploadInit` request over the socket). Only the process holding the session answers them.
 */
export const shinyRouteKinds = ['dataobj', 'download', 'upload'] as const;
export type ShinyRouteKind = (typeof shinyRouteKinds)[number];

export type ShinyRoute = {
  kind: ShinyRouteKind;
  /** The output (or file input) id the route belongs to. */
  output: string;
  /** As the app handed it out, relative to the page: `session/<id>/dataobj/table?w=&nonce=…`. */
  url: string;
};

/** What the page declares before any session exists: the outputs a browser would bind and show. */
export type ShinyPageFacts = {
  /** `shiny-javascript` (or `shiny`) version from the page's html-dependencies; null when only a script tag showed it. */
  version: string | null;
  /** DT (htmlwidgets `datatables`) outputs. */
  datatables: string[];
  /** `downloadButton` / `downloadLink` outputs. */
  downloads: string[];
  /** `fileInput` ids. */
  fileInputs: string[];
  /** Every output id the page binds (the ones reported visible in `init`). */
  outputs: number;
};

/** One Shiny step's facts; each field only where that step learnt it. */
export type ShinyFacts = {
  transport: ShinyTransport;
  /** `config.workerId`; null when the server sets none (plain R Shiny sends ""). */
  workerId: string | null;
  /** On a page step. */
  page?: ShinyPageFacts;
  /** On a connect step: the session routes its `values` (and `uploadInit`) offered. */
  routes?: ShinyRoute[];
  /** On a route step: which route was requested. */
  route?: Pick<ShinyRoute, 'kind' | 'output'>;
  /** On the step that first left a transport: why, e.g. `the WebSocket at /__sockjs__/… was refused with HTTP 400`. */
  fallback?: string;
};

/** How the run's protocol was chosen, said in the result, the CLI output and the report. */
export type ProtocolDetection = {
  requested: ProbeProtocolChoice;
  protocol: ProbeProtocol;
  /** Why, in one sentence: `the page lists shiny-javascript 1.7.4 in its html-dependencies`. */
  reason: string;
  /** The request whose answer decided; null when the spec named the protocol. */
  atIndex: number | null;
};

/** A Shiny run's evidence, kept incrementally from its records like the rest of the protocol summary. */
export type ShinySummary = {
  transport: ShinyTransport;
  /** Why the run left SockJS's WebSocket for an xhr transport; absent when it did not (and in older reports). */
  fallback?: string;
  /** From the first page the run loaded. */
  page: ShinyPageFacts | null;
  /** Sessions the run asked for (connect and reconnect steps) and how many answered `config`. */
  sessions: { opened: number; configured: number };
  /** The first session that answered `config`: its ids, the request that opened it, the replica that answered and what named it. */
  first: { sessionId: string; workerId: string | null; index: number; replica: string | null; identitySource: IdentitySource | null } | null;
  /** Distinct non-empty worker ids seen, at most a few dozen. */
  workers: string[];
  /** The session routes the first configured session offered. */
  routes: ShinyRoute[];
  /** The route the run requested again and again; null when the app offered none. */
  probed: Pick<ShinyRoute, 'kind' | 'output'> | null;
  /** What this run could prove, and what it could not, in sentences. */
  proved: string[];
  unproved: string[];
};

export type AppSessionFacts = {
  name: string;
  /** The request carried the app's session cookie. */
  sent: boolean;
  /** The response replaced or deleted the cookie the request carried: the app no longer knew the session. */
  lost: boolean;
};

/** One protocol request, as evidence: where it went and what came back. */
export type ProtocolStep = {
  index: number;
  session: string | null;
  answer: string | null;
  replica: string | null;
  /** The protocol error, for an `error` outcome. */
  message: string | null;
  /** The request that opened this step's session (handshake or page), and the replica that answered it. */
  origin: { index: number; replica: string | null } | null;
};

export type ProtocolPhaseTally = {
  ok: number;
  break: number;
  error: number;
  /** The first request of each outcome. */
  first: Partial<Record<ProtocolOutcome, ProtocolStep>>;
};

export type AppSessionSummary = {
  name: string;
  /** Requests that carried the session cookie. */
  sent: number;
  /** Of those, the ones where the app re-issued or deleted it. */
  lost: number;
  firstLost: { index: number; replica: string | null } | null;
};

/** A run's protocol evidence, kept incrementally like the verdict. */
export type ProtocolSummary = {
  protocol: ProbeProtocol;
  /** How `protocol` was chosen: named by the spec or detected from the first page. */
  detection: ProtocolDetection;
  phases: Partial<Record<ProtocolPhase, ProtocolPhaseTally>>;
  appSession: AppSessionSummary | null;
  /** Shiny runs only. */
  shiny: ShinySummary | null;
};

// ---------------------------------------------------------------- verdict and snapshot

export type ProbeExpectation = 'sticky' | 'spread';

export type StickyVerdict = {
  status: 'pass' | 'fail' | 'inconclusive';
  sticky: boolean;
  /** Records seen. */
  total: number;
  /** Status 200–399 without a transport error. */
  successful: number;
  /** Successful records with a replica identity: the evidence the verdict rests on. */
  identified: number;
  /** The replica the first session started on; in a failed run, the one the session that broke started on. */
  firstReplica: string | null;
  /** Index of the first request that left its session's replica (by identity or by the protocol's own answer). */
  firstBreakAt: number | null;
  firstBreakMs: number | null;
  firstBreakReplica: string | null;
  /**
   * Times a session left its replica: consecutive identified responses of one session from different replicas, plus
   * requests its replica did not answer (a protocol's session break).
   */
  switches: number;
  /** Identified responses per replica, any status. */
  replicas: Record<string, number>;
  errors: {
    total: number;
    byStatus: Record<string, number>;
    byCode: Partial<Record<ProbeErrorCode, number>>;
  };
};

export type ExpectationResult = { expect: ProbeExpectation; holds: boolean; message: string };

export type LatencyStats = {
  replica: string | null;
  count: number;
  meanMs: number;
  minMs: number;
  maxMs: number;
  p50Ms: number;
  p95Ms: number;
  p99Ms: number;
};

export type SnapshotWindow = {
  fromIndex: number;
  toIndex: number;
  fromMs: number;
  toMs: number;
  /** Responses per replica in this window, keyed like `ProbeSnapshot.replicas`. */
  counts: Record<string, number>;
  unidentified: number;
  errors: number;
};

export type ProbeSnapshot = {
  done: number;
  replicas: { id: string; count: number; share: number }[];
  /** At most ~2× the configured target count of windows, each covering a power-of-two number of requests. */
  windows: SnapshotWindow[];
  windowSize: number;
  latency: LatencyStats[];
};

// ---------------------------------------------------------------- cookie timeline and diagnosis

export type CookieEventKind = 'set' | 'changed' | 'deleted' | 'rejected' | 'withheld' | 'first-sent' | 'repinned';

export type CookieTimelineEvent = {
  index: number;
  atMs: number;
  name: string;
  kind: CookieEventKind;
  /** Reject or withhold reason, or a short note such as `A → B`. */
  detail: string | null;
};

export type CookieStory = {
  name: string;
  isBalancer: boolean;
  /** Latest attributes seen on a Set-Cookie for this name. */
  attributes: CookieAttributes | null;
  firstSetAt: number | null;
  setCount: number;
  storedCount: number;
  sentCount: number;
  firstSentAt: number | null;
  changes: number;
  firstChangeAt: number | null;
  deletes: number;
  rejected: Partial<Record<CookieRejectReason, number>>;
  firstRejectedAt: number | null;
  withheld: Partial<Record<CookieWithholdReason, number>>;
  /** How many stored Secure cookies got in only through the loopback exception. */
  secureViaLoopback: number;
  repins: number;
  firstRepin: { index: number; cookieReplica: string; answeredBy: string } | null;
};

export type CookieSummary = {
  balancerCookie: string | null;
  cookies: CookieStory[];
  events: CookieTimelineEvent[];
  /** Events left out once the list hit its cap. */
  droppedEvents: number;
};

export const diagnosisCodes = [
  'sticky-ok',
  'secure-cookie-over-http',
  'samesite-none-insecure',
  'cookie-rejected',
  'cookie-never-sent',
  'no-balancer-cookie',
  'balancer-cookie-changed',
  'balancer-cookie-repinned',
  'loopback-hides-secure',
  'cookies-disabled',
  'cookies-unseen',
  'concurrent-start',
  'only-one-replica',
  'balancer-cookie-by-behaviour',
  'no-identity',
  'identity-from-cookie',
  'errors',
  'session-id-unknown',
  'engineio-error',
  'upgrade-elsewhere',
  'upgrade-ok',
  'session-route-lost',
  'session-url-not-found',
  'app-session-lost',
  'app-session-kept',
  'protocol-detected',
  'shiny-route-lost',
  'shiny-route-kept',
  'shiny-no-route',
  'shiny-worker-changed',
  'shiny-error',
  'shiny-sockjs-lost',
  'shiny-transport-fallback',
] as const;
export type DiagnosisCode = (typeof diagnosisCodes)[number];

export type Diagnosis = {
  code: DiagnosisCode;
  severity: 'error' | 'warning' | 'info';
  message: string;
  /** Request index the finding points at, when there is one. */
  atIndex: number | null;
  cookie: string | null;
};

export type ProbeEnd = 'completed' | 'first-break' | 'aborted';

export type ProbeProgress = {
  done: number;
  total: number;
  inFlight: number;
  elapsedMs: number;
  /** Completed requests per second so far. */
  rate: number;
};
