// SockJS's xhr transports, held as one socket so a Shiny session reads the same frames whichever way they travel.
// Receiving is a held response: xhr-streaming's (a 2 KiB prelude of `h`, then one frame a line, until the server's
// size limit ends it) or xhr-polling's long poll (one frame, then the response ends). When a response ends, the next
// one is requested at once, as SockJS clients do, through the run's jar. Sending is one `xhr_send` POST per batch.
// Every one of these requests must reach the process holding the session: there `xhr_send` answers 204, elsewhere
// 404; a receiving request elsewhere opens a new session there (`o`), which SockJS clients call "Server lost session".
import type { Exchange, ProbeSession } from '../../record';
import type { ProbeSocket, ProbeTransport, ShinyTransport, SocketReceiveOptions } from '../../types';
import { toProbeUrl } from '../../url';
import { SocketFrameQueue } from '../socket-queue';

export type SockjsXhrTransport = Extract<ShinyTransport, 'sockjs-xhr-streaming' | 'sockjs-xhr-polling'>;

const ENDPOINT = { 'sockjs-xhr-streaming': 'xhr_streaming', 'sockjs-xhr-polling': 'xhr' } satisfies Record<SockjsXhrTransport, string>;
const LABEL = { 'sockjs-xhr-streaming': 'xhr-streaming request', 'sockjs-xhr-polling': 'poll' } satisfies Record<SockjsXhrTransport, string>;

/** sockjs-node (under Shiny Server too) sends a heartbeat every 25 s: a long poll answers within that. */
export const SOCKJS_HEARTBEAT_MS = 25_000;
/** Bounds on what one read of a held response takes. */
const READ = { maxFrames: 1024, maxChars: 4 * 1024 * 1024, timeoutMs: 60_000 };

/** xhr-streaming's prelude and SockJS heartbeats: frames that say nothing about the session. */
export function isFiller(frame: string): boolean {
  return /^h*$/.test(frame);
}

/** Several SockJS send batches (`["…"]`) as one, for a single `xhr_send`. */
export function joinSockjsFrames(frames: readonly string[]): string {
  const payloads: unknown[] = [];
  for (const frame of frames) payloads.push(...(JSON.parse(frame) as unknown[]));
  return JSON.stringify(payloads);
}

/**
 * What an `xhr_send`'s status says: 204 (sockjs-node) or 200 (older servers) = the process holds the session;
 * 404 = it does not (the SockJS server knows no such session).
 */
export function classifySend(status: number): { outcome: 'ok' | 'break' | 'error'; answer: string } {
  const answer = `HTTP ${status}`;
  if (status === 204 || status === 200) return { outcome: 'ok', answer };
  if (status === 404) return { outcome: 'break', answer };
  return { outcome: 'error', answer };
}

/** The first frame after the prelude and heartbeats, and the frames after it; null when the response said nothing. */
async function firstFrame(held: ProbeSocket, timeoutMs: number, signal?: AbortSignal): Promise<{ frame: string | null; rest: string[] }> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const got = await held.receive({ ...READ, timeoutMs: Math.max(0, deadline - Date.now()) }, signal);
    const frames = got.frames.map((f) => f.text).filter((t) => !isFiller(t));
    if (frames.length > 0) return { frame: frames[0]!, rest: frames.slice(1) };
    if (got.ended !== 'matched' && got.ended !== 'max-frames' && got.ended !== 'max-chars') return { frame: null, rest: [] };
  }
}

export type XhrOpened = { exchange: Exchange; socket: SockjsXhrSocket | null; refused: string | null };

type Wire = { probe: ProbeSession; transport: ProbeTransport; headers: readonly string[]; timeoutMs: number };

export class SockjsXhrSocket implements ProbeSocket {
  private readonly queue = new SocketFrameQueue();
  private readonly stop = new AbortController();
  private held: ProbeSocket;
  private readonly pumping: Promise<void>;
  /** Why the session was lost to another process, once a receiving request found it so. */
  lost: string | null = null;
  /** The replica that answered the latest receiving request, when identity named it. */
  private lastReplica: string | null = null;

  private constructor(
    private readonly wire: Wire,
    private readonly base: string,
    readonly kind: SockjsXhrTransport,
    held: ProbeSocket,
    first: readonly string[],
  ) {
    this.held = held;
    for (const frame of first) this.queue.push(frame, false);
    this.pumping = this.pump();
  }

  /**
   * Opens a session at `base` (`…/__sockjs__/<server>/<session>/`) over `kind`: the open request is the step's
   * exchange; the session is open once SockJS's `o` frame came. `refused` says why not, as a reason to fall back.
   */
  static async open(wire: Wire, base: string, kind: SockjsXhrTransport, index: number, startedAt: number, signal?: AbortSignal): Promise<XhrOpened> {
    const url = toProbeUrl(`${base}${ENDPOINT[kind]}`);
    const { socket: held, ...exchange } = await wire.probe.openStream(index, wire.transport, startedAt, { url, method: 'POST', body: null, headers: wire.headers, timeoutMs: wire.timeoutMs }, signal);
    const what = `SockJS's ${kind.slice('sockjs-'.length)} request to ${url.path}`;
    if (!held) {
      const status = exchange.response?.status;
      return { exchange, socket: null, refused: status === undefined ? `${what} failed (${exchange.record.error?.message ?? 'no answer'})` : `${what} answered HTTP ${status}` };
    }
    const { frame, rest } = await firstFrame(held, wire.timeoutMs, signal);
    if (frame !== 'o') {
      await held.close();
      const said = frame === null ? `sent no open frame within ${wire.timeoutMs} ms` : `answered ${JSON.stringify(frame.slice(0, 80))} instead of opening a session`;
      return { exchange, socket: null, refused: `${what} ${said}` };
    }
    return { exchange, socket: new SockjsXhrSocket(wire, base, kind, held, rest), refused: null };
  }

  /** One `xhr_send` of `body` (a SockJS batch, `["…"]`) as a step of its own. */
  post(index: number, startedAt: number, body: string, signal?: AbortSignal): Promise<Exchange> {
    const url = toProbeUrl(`${this.base}xhr_send`);
    const headers = [...this.wire.headers, 'content-type', 'text/plain;charset=UTF-8'];
    return this.wire.probe.exchange(index, this.wire.transport, startedAt, { url, method: 'POST', body, headers, needsBody: true }, signal);
  }

  /** The path of `xhr_send`, for messages. */
  get sendPath(): string {
    return toProbeUrl(`${this.base}xhr_send`).path;
  }

  async send(text: string, signal?: AbortSignal): Promise<boolean> {
    if (this.queue.closed) return false;
    const { response } = await this.post(0, 0, text, signal);
    return response !== null && classifySend(response.status).outcome === 'ok';
  }

  receive(options: SocketReceiveOptions, signal?: AbortSignal) {
    return this.queue.receive(options, signal);
  }

  async close(): Promise<void> {
    this.queue.close({ code: 1000, reason: 'closed by the probe' });
    this.stop.abort();
    await this.held.close();
    await this.pumping;
  }

  /** Moves frames from the held response to the queue, and asks again whenever a response ends. */
  private async pump(): Promise<void> {
    const signal = this.stop.signal;
    let renewed = false;
    while (!signal.aborted) {
      const got = await this.held.receive(READ, signal);
      for (const { text } of got.frames) {
        if (isFiller(text)) continue;
        if (renewed && text === 'o') return this.lose();
        renewed = false;
        this.queue.push(text, false);
        if (text.startsWith('c')) return this.queue.close({ code: 1000, reason: `the server closed the SockJS session: ${text}` });
      }
      if (signal.aborted || got.closed === null) continue;
      // The response ended: a poll answered, or a stream reached the server's size limit. Ask again, as a browser does.
      const url = toProbeUrl(`${this.base}${ENDPOINT[this.kind]}`);
      const request = { url, method: 'POST', body: null, headers: this.wire.headers, timeoutMs: SOCKJS_HEARTBEAT_MS + this.wire.timeoutMs };
      const next = await this.wire.probe.openStream(0, this.wire.transport, 0, request, signal);
      if (!next.socket) {
        const why = next.response ? `HTTP ${next.response.status}` : (next.record.error?.message ?? 'no answer');
        return this.queue.close({ code: 1006, reason: `a ${LABEL[this.kind]} to ${url.path} failed (${why})` });
      }
      this.held = next.socket;
      this.lastReplica = next.record.replica;
      renewed = true;
      if (signal.aborted) await next.socket.close();
    }
  }

  private lose(): Promise<void> {
    const by = this.lastReplica === null ? '' : ` (${this.lastReplica} answered)`;
    this.lost = `a ${LABEL[this.kind]} of the session reached a process that does not hold it${by}: that process opened a new SockJS session ('o'), which SockJS clients take as "Server lost session"`;
    this.queue.close({ code: 1006, reason: this.lost });
    return this.held.close();
  }
}
