// One Shiny user as a probe lane, speaking as a browser does through the lane's jar: load the page, open Shiny's
// socket and send `init`, read `config` and `values`, then request one of the session routes those handed out,
// once per step, while the socket stays open (closing it ends the session). The process holding the session answers
// 200; any other answers 404. An app that hands out no route gets reconnects instead: new sessions compared by the
// worker id and the cookies, which is all such an app lets a client see. Over SockJS, the transport is chosen as a
// browser does (WebSocket, else xhr-streaming, else xhr-polling; or the one the run forces), and on the xhr ones
// every other step is an `xhr_send`, which only the process holding the session accepts.
import type { Exchange, ProbeSession, SessionRequest } from '../../record';
import { shinyOptionsSchema, type ProbeSpec, type ShinyOptions } from '../../spec';
import type { ProbeRecord, ProbeSocket, ProbeTransport, ProtocolFacts, ShinyFacts, ShinyRoute, ShinyTransport } from '../../types';
import { toProbeUrl } from '../../url';
import { withFacts, type ProbeLane } from '../lane';
import { sockjsCodec, sockjsSessionUrl, websocketCodec, type ShinyCodec } from './channel';
import { classifySend, joinSockjsFrames, SockjsXhrSocket, type SockjsXhrTransport } from './sockjs-xhr';
import { nextTransport, shinyTransportPlan } from './transport-plan';
import { chooseRoute, classifyRoute, dataTableColumns, findRoutes, initMessage, readServerMessage, routeRequest, UPLOAD_FILE, uploadInitMessage } from './messages';
import { readShinyPage, toPageFacts, type ShinyPage } from './page';

/** What one receive may return while a session starts: Shiny's first messages, plots included. */
const START_FRAMES = 1024;
const START_CHARS = 4 * 1024 * 1024;
/** The request tag of the lane's `uploadInit`. */
const UPLOAD_TAG = 1;

/** A configured session; `xhr` is its SockJS xhr transport, when it travels on one. */
type Session = { socket: ProbeSocket; xhr: SockjsXhrSocket | null; sessionId: string; workerId: string | null };
type Opened = {
  exchange: Exchange;
  session: Session | null;
  routes: ShinyRoute[];
  values: Record<string, unknown> | undefined;
  problem: string | null;
  /** The transport failed before its session opened (a browser would fall back): how. */
  refused: string | null;
  /** The answer proves the request reached a process without the session (an `xhr_send` answering 404). */
  broke: boolean;
  /** Why this step left the transports before the one it used. */
  fallback: string | null;
};

function isXhr(transport: ShinyTransport): transport is SockjsXhrTransport {
  return transport === 'sockjs-xhr-streaming' || transport === 'sockjs-xhr-polling';
}

export function shinyOptionsOf(spec: ProbeSpec): ShinyOptions {
  return spec.shiny ?? shinyOptionsSchema.parse({});
}

export class ShinyLane implements ProbeLane {
  private readonly options: ShinyOptions;
  private readonly headers: readonly string[];
  private page: ShinyPage | null = null;
  private codec: ShinyCodec = websocketCodec;
  private transport: ShinyTransport = 'websocket';
  /** Transports still to try, in order; narrowed to the one that opened once a session opened. */
  private plan: ShinyTransport[] = ['websocket'];
  private session: Session | null = null;
  /** On an xhr transport, route steps and `xhr_send` steps take turns. */
  private sendNext = false;
  private route: ShinyRoute | null = null;
  private columns: number | null = null;
  /** A session was configured but offered no route to request: the rest of the lane reconnects. */
  private routeless = false;
  private draw = 0;
  private readonly adopted: Exchange | undefined;

  constructor(
    private readonly probe: ProbeSession,
    private readonly spec: ProbeSpec,
    private readonly lane: number,
    readonly quota: number,
    page?: Exchange,
  ) {
    this.options = shinyOptionsOf(spec);
    this.headers = probe.headersWith([]);
    this.adopted = page;
  }

  adopt(record: ProbeRecord): ProbeRecord {
    return this.readPage(record, this.adopted?.response ?? null);
  }

  async step(index: number, transport: ProbeTransport, startedAt: number, signal?: AbortSignal): Promise<ProbeRecord> {
    if (this.page === null) {
      const request = { url: this.probe.url, method: 'GET', body: null, headers: this.headers, needsBody: true };
      const { record, response } = await this.probe.exchange(index, transport, startedAt, request, signal);
      return this.readPage(record, response);
    }
    if (this.session === null && !this.routeless) return this.connect(index, transport, startedAt, signal);
    if (this.route === null) return this.reconnect(index, transport, startedAt, signal);
    if (this.sendNext && this.session?.xhr) {
      this.sendNext = false;
      return this.sendStep(this.session, index, startedAt, signal);
    }
    this.sendNext = this.session?.xhr != null;
    return this.requestRoute(this.route, index, transport, startedAt, signal);
  }

  async close(): Promise<void> {
    const held = this.session;
    this.session = null;
    await held?.socket.close();
  }

  private facts(extra: Omit<ShinyFacts, 'transport' | 'workerId'> = {}, workerId = this.session?.workerId ?? null): ShinyFacts {
    return { transport: this.transport, workerId, ...extra };
  }

  private openedFacts(opened: Opened, workerId: string | null, extra: Omit<ShinyFacts, 'transport' | 'workerId'> = {}): ShinyFacts {
    return this.facts(opened.fallback === null ? extra : { ...extra, fallback: opened.fallback }, workerId);
  }

  private readPage(record: ProbeRecord, response: Exchange['response']): ProbeRecord {
    const base = { phase: 'page' as const, lane: this.lane, session: null };
    if (!response) return withFacts(record, { ...base, outcome: 'error', answer: null }, null);
    const answer = `HTTP ${response.status}`;
    if (response.status < 200 || response.status >= 300) return withFacts(record, { ...base, outcome: 'error', answer }, `the page answered ${answer}, so no Shiny session could start`);
    const page = readShinyPage(response.bodyPrefix);
    if (!page) return withFacts(record, { ...base, outcome: 'error', answer }, 'the page is not a Shiny page: it has no html-dependencies listing shiny and loads no shiny.js');
    const planned = shinyTransportPlan(page.sockjs, this.options.transport);
    if (planned.problem !== null) return withFacts(record, { ...base, outcome: 'error', answer }, planned.problem);
    this.page = page;
    this.plan = planned.plan;
    this.transport = planned.plan[0]!;
    if (page.sockjs) this.codec = sockjsCodec;
    return withFacts(record, { ...base, outcome: 'ok', answer, shiny: this.facts({ page: toPageFacts(page) }, null) }, null);
  }

  /**
   * Opens a session: the transport (falling back as a browser does while the plan has another), `init`, then Shiny's
   * first messages up to `values` (and an upload job if needed). The step's record is the last request it sent.
   */
  private async open(index: number, transport: ProbeTransport, startedAt: number, signal?: AbortSignal): Promise<Opened> {
    const left: string[] = [];
    for (;;) {
      const opened = isXhr(this.transport) ? await this.openXhr(this.transport, index, transport, startedAt, signal) : await this.openWebSocket(index, transport, startedAt, signal);
      opened.fallback = left.length ? left.join('; then ') : null;
      if (opened.refused === null) {
        this.plan = [this.transport];
        return opened;
      }
      const next = nextTransport(this.plan, this.transport, signal?.aborted ?? false);
      if (next === null) return opened;
      left.push(opened.refused);
      this.transport = next;
    }
  }

  private async openWebSocket(index: number, transport: ProbeTransport, startedAt: number, signal?: AbortSignal): Promise<Opened> {
    const pageUrl = this.probe.url.href;
    const init = this.codec.frame([initMessage(this.page!, pageUrl)]);
    const [first, ...rest] = [...this.codec.opening(pageUrl), init];
    const request: SessionRequest = { url: toProbeUrl(this.codec.socketUrl(pageUrl)), method: 'GET', headers: this.headers, body: first! };
    const { socket, ...exchange } = await this.probe.openSocket(index, transport, startedAt, request, signal);
    const opened: Opened = { exchange, session: null, routes: [], values: undefined, problem: null, refused: null, broke: false, fallback: null };
    if (!socket) {
      if (exchange.response) {
        opened.problem = `the WebSocket at ${request.url.path} was refused with HTTP ${exchange.response.status}: Shiny needs the balancer to pass WebSocket upgrades through to the app`;
        opened.refused = `the WebSocket at ${request.url.path} was refused with HTTP ${exchange.response.status}`;
      } else {
        opened.refused = `the WebSocket at ${request.url.path} failed (${exchange.record.error?.message ?? 'no answer'})`;
      }
      return opened;
    }
    for (const frame of rest) await socket.send(frame, signal);
    return this.configure(opened, socket, null, signal);
  }

  /** SockJS over xhr: the receiving request opens the session, one `xhr_send` carries the channel's opening and `init`. */
  private async openXhr(kind: SockjsXhrTransport, index: number, transport: ProbeTransport, startedAt: number, signal?: AbortSignal): Promise<Opened> {
    const pageUrl = this.probe.url.href;
    const wire = { probe: this.probe, transport, headers: this.headers, timeoutMs: this.spec.timeoutMs };
    const { exchange, socket, refused } = await SockjsXhrSocket.open(wire, sockjsSessionUrl(pageUrl), kind, index, startedAt, signal);
    const opened: Opened = { exchange, session: null, routes: [], values: undefined, problem: refused, refused, broke: false, fallback: null };
    if (!socket) return opened;
    const init = joinSockjsFrames([...this.codec.opening(pageUrl), this.codec.frame([initMessage(this.page!, pageUrl)])]);
    const sent = await socket.post(index, startedAt, init, signal);
    const read = sent.response ? classifySend(sent.response.status) : null;
    if (read?.outcome !== 'ok') {
      await socket.close();
      // The send's answer is the evidence: its record stands for the step.
      opened.exchange = sent;
      opened.broke = read?.outcome === 'break';
      opened.problem = read
        ? `the xhr_send carrying the session's init (${socket.sendPath}) answered ${read.answer}${opened.broke ? ': it reached a process that does not hold the SockJS session the request before had opened' : ''}`
        : null;
      return opened;
    }
    return this.configure(opened, socket, socket, signal);
  }

  /** The transport is open and `init` sent: read `config` and `values`, find the routes, ask for an upload job if needed. */
  private async configure(opened: Opened, socket: ProbeSocket, xhr: SockjsXhrSocket | null, signal?: AbortSignal): Promise<Opened> {
    const page = this.page!;
    const start = await this.readUntil(socket, '"values"', signal);
    const config = start.messages.find((m) => m.config)?.config;
    if (!config) {
      await socket.close();
      if (start.closed && start.frames === 0 && this.transport === 'sockjs-websocket') {
        // Closed before SockJS's `o`: a browser takes the WebSocket as unusable and falls back.
        opened.refused = `the WebSocket closed (code ${start.closed.code}) before SockJS opened the session`;
      }
      opened.problem = start.closed
        ? `the ${xhr ? 'SockJS session' : 'socket'} closed (code ${start.closed.code}${start.closed.reason ? `, ${start.closed.reason}` : ''}) before Shiny sent its config`
        : `Shiny sent no config within ${this.spec.timeoutMs} ms of the ${xhr ? 'SockJS session' : 'socket'} opening`;
      return opened;
    }
    const session: Session = { socket, xhr, sessionId: config.sessionId, workerId: config.workerId || null };
    opened.session = session;
    opened.values = start.messages.find((m) => m.values)?.values;
    for (const text of start.texts) opened.routes.push(...findRoutes(text, session.sessionId));
    if (this.wantsUpload(opened.routes)) {
      await socket.send(this.codec.frame([uploadInitMessage(UPLOAD_TAG, UPLOAD_FILE)]), signal);
      const answer = await this.readUntil(socket, '"response"', signal);
      const url = answer.messages.find((m) => m.response?.tag === UPLOAD_TAG)?.response?.value?.uploadUrl;
      const upload = url === undefined ? null : findRoutes(JSON.stringify([url]), session.sessionId)[0];
      if (upload) opened.routes.push({ ...upload, output: this.options.output ?? page.fileInputs[0] ?? upload.output });
    }
    return opened;
  }

  private wantsUpload(routes: readonly ShinyRoute[]): boolean {
    // A lane that found no route before is reconnecting: asking again would only wait for the same silence.
    if (this.routeless) return false;
    if (this.page!.fileInputs.length === 0 && this.options.route !== 'upload') return false;
    if (this.options.route === 'upload') return true;
    return this.options.route === 'auto' && !routes.some((r) => r.kind === 'dataobj' || r.kind === 'download');
  }

  private async readUntil(socket: ProbeSocket, key: string, signal?: AbortSignal) {
    const got = await socket.receive({ until: this.codec.needle(key), maxFrames: START_FRAMES, maxChars: START_CHARS, timeoutMs: this.spec.timeoutMs }, signal);
    const texts: string[] = [];
    let closed = got.closed;
    for (const frame of got.frames) {
      const read = this.codec.read(frame.text);
      texts.push(...read.messages);
      closed ??= read.closed;
    }
    const messages = texts.map(readServerMessage).filter((m) => m !== null);
    return { texts, messages, closed, frames: got.frames.length };
  }

  private async connect(index: number, transport: ProbeTransport, startedAt: number, signal?: AbortSignal): Promise<ProbeRecord> {
    const opened = await this.open(index, transport, startedAt, signal);
    const { record } = opened.exchange;
    const session = opened.session;
    if (!session) {
      // A break is told by its answer and phase (the diagnosis words it); only a failure carries a message.
      const outcome = opened.broke ? 'break' : 'error';
      return withFacts(record, { phase: 'connect', lane: this.lane, session: null, outcome, answer: opened.exchange.response ? `HTTP ${opened.exchange.response.status}` : null, shiny: this.openedFacts(opened, null) }, opened.broke ? null : opened.problem);
    }
    this.session = session;
    this.sendNext = false;
    this.route = chooseRoute(opened.routes, this.options);
    this.routeless = this.route === null;
    if (this.route?.kind === 'dataobj') this.columns = dataTableColumns(opened.values, this.route.output);
    const facts: ProtocolFacts = {
      phase: 'connect',
      lane: this.lane,
      session: session.sessionId,
      outcome: 'ok',
      answer: `config: session ${session.sessionId}${session.workerId ? `, worker ${session.workerId}` : ''}`,
      shiny: this.openedFacts(opened, session.workerId, { routes: opened.routes }),
    };
    return withFacts(this.namedByWorker(record, session.workerId), facts, null);
  }

  /** A response that names no replica is named by the Shiny worker id, where the server sets one. */
  private namedByWorker(record: ProbeRecord, workerId: string | null): ProbeRecord {
    if (record.replica !== null || workerId === null) return record;
    return { ...record, replica: workerId, identitySource: 'shiny:workerId' };
  }

  private async requestRoute(route: ShinyRoute, index: number, transport: ProbeTransport, startedAt: number, signal?: AbortSignal): Promise<ProbeRecord> {
    const session = this.session!;
    const request = routeRequest(route.kind, ++this.draw, this.columns);
    const url = toProbeUrl(new URL(route.url, this.probe.url.href).href);
    const { record, response } = await this.probe.exchange(index, transport, startedAt, { url, method: request.method, body: request.body, headers: this.probe.headersWith(request.headers) }, signal);
    const facts = { phase: 'route' as const, lane: this.lane, session: session.sessionId, shiny: this.facts({ route: { kind: route.kind, output: route.output } }) };
    if (!response) return withFacts(record, { ...facts, outcome: 'error', answer: null }, null);
    const read = classifyRoute(response.status);
    if (read.outcome === 'break') {
      // A 404 from a session that had already ended says nothing about the balancer: look before calling it a break.
      const ended = await this.endedSession(session, signal);
      if (ended) {
        this.session = null;
        await session.socket.close();
        return withFacts(record, { ...facts, outcome: 'error', answer: read.answer }, `the session had ended before this request (its socket closed with code ${ended.code}${ended.reason ? `, ${ended.reason}` : ''}); the next request opens a new one`);
      }
    }
    return withFacts(record, { ...facts, ...read }, null);
  }

  private async endedSession(session: Session, signal?: AbortSignal) {
    // Lost to another process (a poll answered elsewhere): the session ended because the balancer broke it.
    if (session.xhr?.lost) return null;
    const got = await session.socket.receive({ maxFrames: START_FRAMES, maxChars: START_CHARS, timeoutMs: 0 }, signal);
    if (got.closed) return got.closed;
    for (const frame of got.frames) {
      const closed = this.codec.read(frame.text).closed;
      if (closed) return closed;
    }
    return null;
  }

  /** No route to request: open another session and compare it with the first (worker id, cookies), then close it. */
  private async reconnect(index: number, transport: ProbeTransport, startedAt: number, signal?: AbortSignal): Promise<ProbeRecord> {
    const opened = await this.open(index, transport, startedAt, signal);
    const { record } = opened.exchange;
    const session = opened.session;
    await session?.socket.close();
    if (!session) {
      // A break is told by its answer and phase (the diagnosis words it); only a failure carries a message.
      const outcome = opened.broke ? 'break' : 'error';
      return withFacts(record, { phase: 'reconnect', lane: this.lane, session: null, outcome, answer: opened.exchange.response ? `HTTP ${opened.exchange.response.status}` : null, shiny: this.openedFacts(opened, null) }, opened.broke ? null : opened.problem);
    }
    const facts: ProtocolFacts = {
      phase: 'reconnect',
      lane: this.lane,
      session: session.sessionId,
      outcome: 'ok',
      answer: `config: session ${session.sessionId}${session.workerId ? `, worker ${session.workerId}` : ''}`,
      shiny: this.openedFacts(opened, session.workerId),
    };
    return withFacts(this.namedByWorker(record, session.workerId), facts, null);
  }

  /**
   * An `xhr_send` of the open session (an empty batch, which SockJS servers accept and pass nothing on): 204 where the
   * session lives, 404 elsewhere. A session a receiving request lost to another process breaks here too.
   */
  private async sendStep(session: Session, index: number, startedAt: number, signal?: AbortSignal): Promise<ProbeRecord> {
    const xhr = session.xhr!;
    const { record, response } = await xhr.post(index, startedAt, '[]', signal);
    const facts = { phase: 'send' as const, lane: this.lane, session: session.sessionId, shiny: this.facts() };
    if (!response) return withFacts(record, { ...facts, outcome: 'error', answer: null }, null);
    const read = classifySend(response.status);
    if (read.outcome === 'ok' && xhr.lost) {
      await this.close();
      return withFacts(record, { ...facts, outcome: 'break', answer: `${read.answer}, but ${xhr.lost}` }, null);
    }
    return withFacts(record, { ...facts, ...read }, null);
  }
}
