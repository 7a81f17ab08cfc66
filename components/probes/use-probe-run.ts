'use client';

// Runs the probe engine in the page and redraws at most ~4 times a second, whatever the request rate. Raw records
// live in a ref (a 10,000-request run is 10,000 small objects); React state only holds what the screen shows.
import { useCallback, useEffect, useRef, useState } from 'react';
import type { CookieDecoder } from '@/lib/probe/identity';
import { identityReadsBody } from '@/lib/probe/identity';
import type { ProbeMode } from '@/lib/probe/form';
import { runProbe, type LiveProbe } from '@/lib/probe/engine';
import { toLaneView, type LaneView } from '@/lib/probe/lanes';
import type { ProbeSpec } from '@/lib/probe/spec';
import { FetchTransport } from '@/lib/probe/transport-fetch';
import type { CookieSummary, Diagnosis, ProbeEnd, ProbeProgress, ProbeRecord, ProbeSnapshot, StickyVerdict } from '@/lib/probe/types';
import { RelayRefusedError, RelayTransport } from '@/lib/relay/client';
import type { ProbeRunListener } from '@/components/reports/use-report-saving';

const REDRAW_MS = 250;
const CHART_WINDOWS = 60;

export type RunStatus = 'idle' | 'running' | 'done' | 'stopped' | 'failed';

export type RunView = {
  status: RunStatus;
  mode: ProbeMode;
  spec: ProbeSpec | null;
  progress: ProbeProgress;
  verdict: StickyVerdict | null;
  snapshot: ProbeSnapshot | null;
  cookies: CookieSummary | null;
  diagnosis: Diagnosis[];
  lanes: LaneView;
  ended: ProbeEnd | null;
  /** A failure of the run as a whole (relay refused the target, engine error), for a person. */
  error: { code: string; message: string } | null;
  /** First message seen per request error code, e.g. refused → "connection refused (...)". */
  errorSamples: Record<string, string>;
  startedAt: number | null;
};

const EMPTY_PROGRESS: ProbeProgress = { done: 0, total: 0, inFlight: 0, elapsedMs: 0, rate: 0 };
const EMPTY_LANES: LaneView = { lanes: [], points: [], stride: 1 };

const idle: RunView = {
  status: 'idle',
  mode: 'relay',
  spec: null,
  progress: EMPTY_PROGRESS,
  verdict: null,
  snapshot: null,
  cookies: null,
  diagnosis: [],
  lanes: EMPTY_LANES,
  ended: null,
  error: null,
  errorSamples: {},
  startedAt: null,
};

function transportFor(spec: ProbeSpec, mode: ProbeMode) {
  if (mode === 'direct') return new FetchTransport({ timeoutMs: spec.timeoutMs, cookies: spec.cookies });
  const exposeHeaders = typeof spec.identity === 'object' && 'header' in spec.identity ? [spec.identity.header] : [];
  return new RelayTransport({
    resolve: spec.resolve,
    timeoutMs: spec.timeoutMs,
    insecureTls: spec.insecureTls,
    concurrency: spec.concurrency,
    readsBody: identityReadsBody(spec.identity),
    exposeHeaders,
  });
}

export function useProbeRun() {
  const [view, setView] = useState<RunView>(idle);
  const records = useRef<ProbeRecord[]>([]);
  const controller = useRef<AbortController | null>(null);

  useEffect(() => () => controller.current?.abort(), []);

  const start = useCallback((spec: ProbeSpec, mode: ProbeMode, decode?: CookieDecoder, listener?: ProbeRunListener) => {
    controller.current?.abort();
    const abort = new AbortController();
    controller.current = abort;
    records.current = [];
    const own = records.current;
    let live: LiveProbe | null = null;
    let progress: ProbeProgress = { ...EMPTY_PROGRESS, total: spec.requests };
    let dirty = false;
    const errorSamples: Record<string, string> = {};
    const startedAt = Date.now();
    const report = listener?.onStart(spec, startedAt) ?? null;
    setView({ ...idle, status: 'running', mode, spec, progress, startedAt });

    const draw = () => {
      if (!dirty || !live) return;
      dirty = false;
      const l = live;
      setView((v) => ({
        ...v,
        progress,
        verdict: l.verdict(),
        snapshot: l.snapshot(),
        cookies: l.cookies(),
        diagnosis: l.diagnosis(),
        lanes: toLaneView(own),
        errorSamples: { ...errorSamples },
      }));
    };
    const timer = setInterval(draw, REDRAW_MS);

    runProbe(spec, transportFor(spec, mode), {
      signal: abort.signal,
      decode,
      windows: CHART_WINDOWS,
      // The records stay in the ref; the engine's own copy would double the memory of a long run.
      keepRecords: false,
      progressIntervalMs: REDRAW_MS,
      onRecord: (r, l) => {
        own.push(r);
        report?.record(r);
        if (r.error && !(r.error.code in errorSamples)) errorSamples[r.error.code] = r.error.message;
        else if (!r.error && r.status !== null && r.status >= 400 && !(`HTTP ${r.status}` in errorSamples)) {
          errorSamples[`HTTP ${r.status}`] = `the target answered HTTP ${r.status}`;
        }
        live = l;
        dirty = true;
      },
      onProgress: (p) => {
        progress = p;
        dirty = true;
      },
    })
      .then((result) => {
        clearInterval(timer);
        report?.finish(result);
        if (controller.current !== abort) return;
        setView((v) => ({
          ...v,
          status: result.ended === 'aborted' ? 'stopped' : 'done',
          ended: result.ended,
          progress: { done: result.verdict.total, total: spec.requests, inFlight: 0, elapsedMs: result.durationMs, rate: result.durationMs > 0 ? (result.verdict.total * 1000) / result.durationMs : 0 },
          verdict: result.verdict,
          snapshot: result.snapshot,
          cookies: result.cookies,
          diagnosis: result.diagnosis,
          lanes: toLaneView(own),
          errorSamples: { ...errorSamples },
        }));
      })
      .catch((error: unknown) => {
        clearInterval(timer);
        // Other workers may still be looping; the refusal holds for all of them.
        abort.abort();
        report?.fail(live);
        if (controller.current !== abort) return;
        draw();
        const e =
          error instanceof RelayRefusedError
            ? { code: error.code, message: error.message }
            : { code: 'engine', message: error instanceof Error ? error.message : String(error) };
        setView((v) => ({ ...v, status: 'failed', error: e, progress: { ...v.progress, inFlight: 0 } }));
      });
  }, []);

  const stop = useCallback(() => controller.current?.abort(), []);

  return { view, start, stop, records };
}
