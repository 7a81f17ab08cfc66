'use client';

// Runs the probe engine in the page. Per record the work is O(1): the record goes into a compact log and the lane
// aggregator, and the engine keeps the verdict, the windows and the cookie story incrementally. Every TICK_MS the page
// shows the cheap parts (progress, verdict, tables), and every CHART_REDRAW_MS it redraws one chart whose data changed,
// in turn, so no single task holds the main thread for long and the request loop keeps its pace whatever the run's
// length.
import { startTransition, useCallback, useEffect, useRef, useState } from 'react';
import { ChartRefreshRotation } from '@/lib/probe/chart-refresh';
import { toCookieMarks, type CookieMarkView } from '@/lib/probe/cookie-marks';
import type { CookieDecoder } from '@/lib/probe/identity';
import type { ProbeMode } from '@/lib/probe/form';
import { runProbe, type LiveProbe, type ProbeResult } from '@/lib/probe/engine';
import { LaneAggregator, type LaneView } from '@/lib/probe/lanes';
import { RecordLog } from '@/lib/probe/record-log';
import type { ProbeSpec } from '@/lib/probe/spec';
import { FetchTransport } from '@/lib/probe/transport-fetch';
import type {
  CookieSummary,
  Diagnosis,
  LatencyStats,
  ProbeEnd,
  ProbeProgress,
  ProbeRecord,
  ProbeSnapshot,
  ProbeTransportKind,
  ProtocolSummary,
  StickyVerdict,
} from '@/lib/probe/types';
import { RelayRefusedError, relayTransportFor } from '@/lib/relay/client';
import type { ProbeRunListener } from '@/components/reports/use-report-saving';

const TICK_MS = 250;
/** While requests are in flight a chart redraw competes with them for the main thread; at most one this often. */
const CHART_REDRAW_MS = 500;
/** After the run, the charts that are still behind catch up one per task, this far apart. */
const CATCH_UP_MS = 20;
const CHART_WINDOWS = 60;

export type RunStatus = 'idle' | 'running' | 'done' | 'stopped' | 'failed';

/** What each chart draws; each is replaced only when that chart is redrawn, so the others keep their identity. */
export type RunCharts = {
  lanes: LaneView | null;
  share: ProbeSnapshot | null;
  distribution: ProbeSnapshot | null;
  latency: LatencyStats[] | null;
  cookies: CookieMarkView | null;
};
type ChartKey = keyof RunCharts;
const CHART_ORDER: readonly ChartKey[] = ['lanes', 'share', 'distribution', 'latency', 'cookies'];

export type RunView = {
  status: RunStatus;
  mode: ProbeMode;
  spec: ProbeSpec | null;
  progress: ProbeProgress;
  verdict: StickyVerdict | null;
  snapshot: ProbeSnapshot | null;
  cookies: CookieSummary | null;
  diagnosis: Diagnosis[];
  /** What the run speaks and why (detected from the first page under `auto`), and a Shiny run's facts so far. */
  protocol: ProtocolSummary | null;
  charts: RunCharts;
  ended: ProbeEnd | null;
  /** A failure of the run as a whole (relay refused the target, engine error), for a person. */
  error: { code: string; message: string } | null;
  /** First message seen per request error code, e.g. refused → "connection refused (...)". */
  errorSamples: Record<string, string>;
  /** Records kept, by the transport each one names. */
  transports: Partial<Record<ProbeTransportKind, number>>;
  startedAt: number | null;
};

const EMPTY_PROGRESS: ProbeProgress = { done: 0, total: 0, inFlight: 0, elapsedMs: 0, rate: 0 };
const NO_CHARTS: RunCharts = { lanes: null, share: null, distribution: null, latency: null, cookies: null };

const idle: RunView = {
  status: 'idle',
  mode: 'relay',
  spec: null,
  progress: EMPTY_PROGRESS,
  verdict: null,
  snapshot: null,
  cookies: null,
  diagnosis: [],
  protocol: null,
  charts: NO_CHARTS,
  ended: null,
  error: null,
  errorSamples: {},
  transports: {},
  startedAt: null,
};

function transportFor(spec: ProbeSpec, mode: ProbeMode) {
  return mode === 'direct' ? new FetchTransport({ timeoutMs: spec.timeoutMs, cookies: spec.cookies }) : relayTransportFor(spec);
}

/** What a tick shows: the cheap parts every time, and the data of the one chart redrawn now, if any. */
type Frame = Pick<RunView, 'verdict' | 'snapshot' | 'cookies' | 'diagnosis' | 'protocol'> & { chart: Partial<RunCharts>; settled: boolean };

export function useProbeRun() {
  const [view, setView] = useState<RunView>(idle);
  const records = useRef<RecordLog>(new RecordLog());
  const controller = useRef<AbortController | null>(null);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);

  const stopTicking = useCallback(() => {
    if (timer.current !== null) clearTimeout(timer.current);
    timer.current = null;
  }, []);

  useEffect(
    () => () => {
      controller.current?.abort();
      stopTicking();
    },
    [stopTicking],
  );

  const start = useCallback(
    (spec: ProbeSpec, mode: ProbeMode, decode?: CookieDecoder, listener?: ProbeRunListener) => {
      controller.current?.abort();
      stopTicking();
      const abort = new AbortController();
      controller.current = abort;
      const log = new RecordLog(spec.requests);
      records.current = log;
      const lanes = new LaneAggregator({ total: spec.requests });
      const rotation = new ChartRefreshRotation(CHART_ORDER);
      let live: LiveProbe | null = null;
      let final: ProbeResult | null = null;
      let progress: ProbeProgress = { ...EMPTY_PROGRESS, total: spec.requests };
      let errorSamples: Record<string, string> = {};
      const transports: Partial<Record<ProbeTransportKind, number>> = {};
      const startedAt = Date.now();
      const report = listener?.onStart(spec, startedAt) ?? null;
      setView({ ...idle, status: 'running', mode, spec, progress, startedAt });

      const sample = (key: string, message: string) => {
        if (!(key in errorSamples)) errorSamples = { ...errorSamples, [key]: message };
      };

      let lastChartAt = -Infinity;
      const frame = (): Frame | null => {
        if (!final && !live) return null;
        const snapshot = final ? final.snapshot : live!.snapshot();
        const cookies = final ? final.cookies : live!.cookies();
        const versions: Record<ChartKey, number> = {
          lanes: lanes.version,
          share: snapshot.done,
          distribution: snapshot.done,
          latency: snapshot.done,
          cookies: cookies.events.length,
        };
        const now = performance.now();
        const throttled = !final && now - lastChartAt < CHART_REDRAW_MS;
        const key = throttled ? null : rotation.pick(versions);
        if (key !== null) lastChartAt = now;
        const chart: Partial<RunCharts> = {};
        if (key === 'lanes') chart.lanes = lanes.view();
        else if (key === 'share' || key === 'distribution') chart[key] = snapshot;
        else if (key === 'latency') chart.latency = snapshot.latency;
        else if (key === 'cookies') chart.cookies = toCookieMarks(cookies.events, { total: spec.requests });
        return {
          verdict: final ? final.verdict : live!.verdict(),
          snapshot,
          cookies,
          diagnosis: final ? final.diagnosis : live!.diagnosis(),
          protocol: final ? final.protocol : live!.protocol(),
          chart: key === null ? {} : chart,
          // Every chart shows its latest data: nothing left to draw until the next record.
          settled: key === null && !throttled,
        };
      };

      // `full`: the verdict, tables and a chart too, else only the progress. Returns whether a chart may still be behind.
      const draw = (extra: Partial<RunView> = {}, full = true): boolean => {
        const f = full ? frame() : null;
        const redrew = f !== null && Object.keys(f.chart).length > 0;
        const samples = errorSamples;
        // A transition: React may split the redraw into short slices, so input and the request loop go first.
        startTransition(() =>
          setView((v) => {
            if (controller.current !== abort) return v;
            if (!f) return { ...v, progress, ...extra };
            const { chart, settled: _settled, ...parts } = f;
            return {
              ...v,
              ...parts,
              progress,
              errorSamples: samples,
              transports: { ...transports },
              charts: redrew ? { ...v.charts, ...chart } : v.charts,
              ...extra,
            };
          }),
        );
        return f !== null && !f.settled;
      };

      // A tick with no new record and every chart current redraws the progress alone (a slow target, a long interval).
      let fresh = false;
      let behind = false;
      const tick = () => {
        const full = fresh || behind;
        fresh = false;
        behind = draw({}, full);
        timer.current = setTimeout(tick, TICK_MS);
      };
      timer.current = setTimeout(tick, TICK_MS);

      // Once the run is over: the rest of the charts, one task each.
      const catchUp = (extra: Partial<RunView>) => {
        stopTicking();
        const step = (first: boolean) => {
          if (controller.current !== abort) return;
          if (draw(first ? extra : {})) timer.current = setTimeout(() => step(false), CATCH_UP_MS);
          else timer.current = null;
        };
        step(true);
      };

      runProbe(spec, transportFor(spec, mode), {
        signal: abort.signal,
        decode,
        windows: CHART_WINDOWS,
        // The page keeps its own compact log; the engine's copy would be a second, larger one.
        keepRecords: false,
        progressIntervalMs: TICK_MS,
        onRecord: (r: ProbeRecord, l) => {
          log.add(r);
          report?.record(r);
          lanes.add(r);
          if (r.transport) transports[r.transport] = (transports[r.transport] ?? 0) + 1;
          if (r.error) sample(r.error.code, r.error.message);
          else if (r.status !== null && r.status >= 400) sample(`HTTP ${r.status}`, `the target answered HTTP ${r.status}`);
          live = l;
          fresh = true;
        },
        onProgress: (p) => {
          progress = p;
        },
      })
        .then((result) => {
          report?.finish(result);
          if (controller.current !== abort) return;
          final = result;
          const rate = result.durationMs > 0 ? (result.verdict.total * 1000) / result.durationMs : 0;
          progress = { done: result.verdict.total, total: spec.requests, inFlight: 0, elapsedMs: result.durationMs, rate };
          catchUp({ status: result.ended === 'aborted' ? 'stopped' : 'done', ended: result.ended });
        })
        .catch((error: unknown) => {
          // Other workers may still be looping; the refusal holds for all of them.
          abort.abort();
          report?.fail(live);
          if (controller.current !== abort) return;
          const e =
            error instanceof RelayRefusedError
              ? { code: error.code, message: error.message }
              : { code: 'engine', message: error instanceof Error ? error.message : String(error) };
          progress = { ...progress, inFlight: 0 };
          catchUp({ status: 'failed', error: e });
        });
    },
    [stopTicking],
  );

  const stop = useCallback(() => controller.current?.abort(), []);

  return { view, start, stop, records };
}
