// The probe loop: pacing, concurrency, stop at first break, abort. Isomorphic; the transport decides where requests go.
//
// Pacing is start-to-start: request i starts no earlier than `intervalMs` after request i-1 started, and at most
// `concurrency` are in flight. Plain HTTP concurrency is one browser with parallel connections: every request takes
// the shared jar's state at the moment it is sent and its Set-Cookie lines are applied when it returns. Protocol lanes
// are separate users, each with its own browser: its own jar and app-session tracking.
// Records reach `onRecord`, the verdict and the timeline in index order, whatever order responses arrive in.
import { CookieTimeline } from './cookie-timeline';
import { diagnose } from './diagnosis';
import type { CookieDecoder } from './identity';
import type { BrowserCookieJar } from './jar';
import { createLane, detectProtocol, namedProtocol, ProtocolTally, type ResolvedSpec } from './protocols';
import { ProbeSession, type Exchange } from './record';
import type { ProbeSpec } from './spec';
import type {
  CookieSummary,
  Diagnosis,
  ExpectationResult,
  ProbeEnd,
  ProbeProgress,
  ProbeRecord,
  ProbeSnapshot,
  ProbeTransport,
  ProbeUrl,
  ProtocolSummary,
  StickyVerdict,
} from './types';
import { evaluateExpectation, VerdictAggregator } from './verdict';

export type ProbeClock = {
  /** Monotonic ms. */
  now(): number;
  /** Resolves after `ms`, or early when `signal` aborts. */
  sleep(ms: number, signal: AbortSignal): Promise<void>;
};

export const realClock: ProbeClock = {
  now: () => performance.now(),
  sleep: (ms, signal) =>
    new Promise<void>((resolve) => {
      if (signal.aborted) return resolve();
      const done = () => {
        clearTimeout(timer);
        signal.removeEventListener('abort', done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      signal.addEventListener('abort', done);
    }),
};

/** Live view of a run, handed to `onRecord` so a UI can redraw from it. */
export type LiveProbe = {
  verdict(): StickyVerdict;
  snapshot(): ProbeSnapshot;
  cookies(): CookieSummary;
  diagnosis(): Diagnosis[];
  /** The protocol's evidence so far: how it was chosen, its phases, a Shiny run's facts. */
  protocol(): ProtocolSummary;
};

export type RunProbeOptions = {
  signal?: AbortSignal;
  onRecord?: (record: ProbeRecord, live: LiveProbe) => void;
  onProgress?: (progress: ProbeProgress) => void;
  /** Least time between two progress calls; the last one always comes. Default 100 ms. */
  progressIntervalMs?: number;
  decode?: CookieDecoder;
  /** Start the run's (first) user from this jar. */
  jar?: BrowserCookieJar;
  clock?: ProbeClock;
  /** Keep every record in the result (default). Off for very long CLI runs that only need the verdict. */
  keepRecords?: boolean;
  /** Chart windows wanted in snapshots. */
  windows?: number;
};

export type ProbeResult = {
  spec: ProbeSpec;
  url: ProbeUrl;
  /** Epoch ms. */
  startedAt: number;
  durationMs: number;
  ended: ProbeEnd;
  records: ProbeRecord[];
  verdict: StickyVerdict;
  expectation: ExpectationResult;
  diagnosis: Diagnosis[];
  cookies: CookieSummary;
  snapshot: ProbeSnapshot;
  identitySources: Record<string, number>;
  protocol: ProtocolSummary;
};

export async function runProbe(spec: ProbeSpec, transport: ProbeTransport, options: RunProbeOptions = {}): Promise<ProbeResult> {
  const clock = options.clock ?? realClock;
  // `options.jar` is the first user's; further protocol lanes start with empty jars.
  const firstSession = new ProbeSession(spec, { decode: options.decode, jar: options.jar });
  const aggregator = new VerdictAggregator({ windows: options.windows });
  const timeline = new CookieTimeline({ decode: options.decode });
  // Until `auto` has its answer the run counts as plain HTTP; the tally is replaced before any record reaches it.
  let tally = new ProtocolTally(spec.protocol === 'auto' ? namedProtocol('http') : namedProtocol(spec.protocol));
  const identitySources: Record<string, number> = {};
  const records: ProbeRecord[] = [];
  const keepRecords = options.keepRecords ?? true;
  const progressEvery = options.progressIntervalMs ?? 100;

  const diagnosis = () =>
    diagnose({
      target: firstSession.url,
      cookies: spec.cookies,
      concurrency: spec.concurrency,
      verdict: aggregator.verdict(),
      cookieSummary: timeline.summary(),
      identitySources,
      protocol: tally.summary(),
      cookiesVisible: transport.seesCookies,
    });
  const live: LiveProbe = {
    verdict: () => aggregator.verdict(),
    snapshot: () => aggregator.snapshot(),
    cookies: () => timeline.summary(),
    diagnosis,
    protocol: () => tally.summary(),
  };

  const stopController = new AbortController();
  let ended: ProbeEnd = 'completed';
  let failure: unknown = null;
  const stop = (why: ProbeEnd) => {
    if (stopController.signal.aborted) return;
    ended = why;
    stopController.abort();
  };
  const onAbort = () => stop('aborted');
  if (options.signal?.aborted) stop('aborted');
  else options.signal?.addEventListener('abort', onAbort, { once: true });

  const startedAtEpoch = Date.now();
  const t0 = clock.now();
  let claimed = 0;
  let done = 0;
  let inFlight = 0;
  let lastProgress = -Infinity;
  let nextSlot = t0;

  const progress = (force: boolean) => {
    if (!options.onProgress) return;
    const now = clock.now();
    if (!force && now - lastProgress < progressEvery) return;
    lastProgress = now;
    const elapsedMs = now - t0;
    options.onProgress({ done, total: spec.requests, inFlight, elapsedMs, rate: elapsedMs > 0 ? (done * 1000) / elapsedMs : 0 });
  };

  const emit = (r: ProbeRecord) => {
    done++;
    aggregator.add(r);
    timeline.add(r);
    tally.add(r);
    if (r.identitySource !== null) identitySources[r.identitySource] = (identitySources[r.identitySource] ?? 0) + 1;
    if (keepRecords) records.push(r);
    if (spec.stopAtFirstBreak && aggregator.broken) stop('first-break');
    options.onRecord?.(r, live);
    progress(false);
  };

  // Reorder buffer: records are released strictly by index; a skipped index (aborted, never sent) is null.
  const pending = new Map<number, ProbeRecord | null>();
  let emitNext = 1;
  const complete = (index: number, r: ProbeRecord | null) => {
    if (failure !== null) return;
    try {
      if (index === emitNext && pending.size === 0) {
        emitNext++;
        if (r) emit(r);
        return;
      }
      pending.set(index, r);
      while (pending.has(emitNext)) {
        const next = pending.get(emitNext) ?? null;
        pending.delete(emitNext);
        emitNext++;
        if (next) emit(next);
      }
    } catch (error) {
      failure = error;
      stop('aborted');
    }
  };

  const interval = spec.intervalMs;
  const stopSignal = stopController.signal;
  const lanes = Math.min(spec.concurrency, spec.requests);

  // `auto`: request 1 is the run's own request, read whole; its answer settles the protocol. It belongs to lane 1,
  // whose user has then loaded the page already.
  let resolved: ResolvedSpec;
  let firstPage: Exchange | undefined;
  if (spec.protocol === 'auto') {
    claimed = 1;
    nextSlot = clock.now() + interval;
    inFlight++;
    firstPage = await firstSession.exchange(1, transport, 0, { url: firstSession.url, method: spec.method, headers: firstSession.headersWith([]), body: spec.body, needsBody: true }, stopSignal);
    inFlight--;
    const detection = detectProtocol(firstPage.response, 1);
    resolved = { ...spec, protocol: detection.protocol };
    tally = new ProtocolTally(detection);
  } else {
    resolved = { ...spec, protocol: spec.protocol };
  }
  const sessionOf = (lane: number) => (lane === 1 || resolved.protocol === 'http' ? firstSession : new ProbeSession(spec, { decode: options.decode }));
  const lanesOf = new Map<number, ReturnType<typeof createLane>>();
  const laneOf = (lane: number) => {
    let own = lanesOf.get(lane);
    if (!own) {
      // Protocol lanes own an even share of the requests; plain HTTP lanes take the next request whenever free.
      const quota = Math.floor(spec.requests / lanes) + (lane <= spec.requests % lanes ? 1 : 0);
      own = createLane(resolved, sessionOf(lane), lane, quota, lane === 1 ? firstPage : undefined);
      lanesOf.set(lane, own);
    }
    return own;
  };
  if (firstPage) {
    // The page step's record as the lane reads it (Shiny: the page's facts); plain HTTP keeps it as it is.
    const own = laneOf(1);
    const r = own.adopt ? own.adopt(firstPage.record) : firstPage.record;
    complete(1, r.error?.code === 'aborted' && stopSignal.aborted ? null : r);
  }

  const worker = async (lane: number) => {
    const own = laneOf(lane);
    try {
      await runLane(lane, own);
    } finally {
      await own.close?.();
    }
  };
  const runLane = async (lane: number, own: ReturnType<typeof createLane>) => {
    for (let taken = lane === 1 && firstPage ? 1 : 0; !stopSignal.aborted && claimed < spec.requests && taken < own.quota; taken++) {
      const index = ++claimed;
      if (interval > 0) {
        const now = clock.now();
        const slot = Math.max(nextSlot, now);
        nextSlot = slot + interval;
        if (slot > now) await clock.sleep(slot - now, stopSignal);
        if (stopSignal.aborted) {
          complete(index, null);
          return;
        }
      }
      inFlight++;
      const startedAt = clock.now() - t0;
      const r = await own.step(index, transport, startedAt, stopSignal);
      inFlight--;
      // A request cut short by a stop is not a result; one that finished anyway is kept.
      complete(index, r.error?.code === 'aborted' && stopSignal.aborted ? null : r);
    }
  };

  const workers: Promise<void>[] = [];
  for (let lane = 1; lane <= lanes; lane++) workers.push(worker(lane));
  await Promise.all(workers);
  options.signal?.removeEventListener('abort', onAbort);
  if (failure !== null) throw failure;
  progress(true);

  const verdict = aggregator.verdict();
  return {
    spec,
    url: firstSession.url,
    startedAt: startedAtEpoch,
    durationMs: clock.now() - t0,
    ended,
    records,
    verdict,
    expectation: evaluateExpectation(verdict, spec.expect),
    diagnosis: diagnosis(),
    cookies: timeline.summary(),
    snapshot: aggregator.snapshot(),
    identitySources,
    protocol: tally.summary(),
  };
}

/** The CLI's `--json` shape. */
export function toProbeJson(result: ProbeResult) {
  const v = result.verdict;
  return {
    verdict: {
      sticky: v.sticky,
      status: v.status,
      firstBreakAt: v.firstBreakAt,
      switches: v.switches,
      replicas: v.replicas,
      errors: v.errors,
    },
    expectation: result.expectation,
    diagnosis: result.diagnosis.map((d) => ({ code: d.code, message: d.message })),
    requests: v.total,
    ended: result.ended,
    protocol: result.protocol,
  };
}
