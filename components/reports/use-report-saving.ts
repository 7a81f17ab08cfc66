'use client';

// Saves each Probe page run as a report: the probe hook calls the listener when a run starts, per record and at the
// end; the page reads the writer's state to show progress and offer Share / Export / Open.
import { useCallback, useEffect, useMemo, useRef, useState, useSyncExternalStore } from 'react';
import type { ExperimentEvent } from '@/lib/experiments/types';
import type { LiveProbe } from '@/lib/probe/engine';
import type { ProbeSpec } from '@/lib/probe/spec';
import type { ProbeEnd, ProbeRecord } from '@/lib/probe/types';
import { replayRecords, toReportOutcome, type RunFindings } from '@/lib/reports/outcome';
import { ReportWriter, type ReportWriterState } from '@/lib/reports/writer';
import { deleteReport } from './report-api';

export type ProbeRunSink = {
  record(record: ProbeRecord): void;
  /** The run ended by itself or was stopped: the engine's result. */
  finish(result: RunFindings & { ended: ProbeEnd }): void;
  /** The run failed as a whole; its live view, when any record arrived. */
  fail(live: LiveProbe | null): void;
};

export type ProbeRunListener = { onStart(spec: ProbeSpec, startedAt: number): ProbeRunSink | null };

export type ReportSavingOptions = {
  /** Save runs at all. */
  enabled: boolean;
  /** Redact shared links of the run (the default); off only when the author opts out. */
  redactOnShare: boolean;
  stripQuery: boolean;
};

export const defaultReportSaving: ReportSavingOptions = { enabled: true, redactOnShare: true, stripQuery: false };

const IDLE: ReportWriterState | null = null;
const noop = () => () => {};

export function useReportSaving(serviceId: string | null) {
  const [options, setOptions] = useState<ReportSavingOptions>(defaultReportSaving);
  const [run, setRun] = useState<{ writer: ReportWriter; redaction: { onShare: boolean; stripQuery: boolean } } | null>(null);
  const latest = useRef({ options, serviceId });
  useEffect(() => {
    latest.current = { options, serviceId };
  });

  const onStart = useCallback((spec: ProbeSpec, startedAt: number): ProbeRunSink | null => {
    const { options: o, serviceId: service } = latest.current;
    if (!o.enabled) {
      setRun(null);
      return null;
    }
    const redaction = { onShare: o.redactOnShare, stripQuery: o.redactOnShare && o.stripQuery };
    const w = new ReportWriter({ spec, startedAt, serviceId: service, redaction });
    setRun({ writer: w, redaction });
    return {
      record: (r) => w.add(r),
      finish: (result) => void w.finish(result.ended === 'aborted' ? 'stopped' : 'complete', toReportOutcome(result.ended, result, spec)),
      fail: (live) => {
        if (live) {
          void w.finish('stopped', toReportOutcome('aborted', { verdict: live.verdict(), diagnosis: live.diagnosis(), cookies: live.cookies() }, spec));
          return;
        }
        // Refused before its first request (a target outside the allowlist, say): nothing worth a report.
        void w.finish('stopped', toReportOutcome('aborted', replayRecords(spec, []), spec)).then(async (final) => {
          if (final.reportId) await deleteReport(final.reportId).catch(() => undefined);
          setRun((current) => (current?.writer === w ? null : current));
        });
      },
    };
  }, []);

  const listener = useMemo<ProbeRunListener>(() => ({ onStart }), [onStart]);
  const writer = run?.writer;
  /** An experiment sent during the current run goes into its report. */
  const recordExperiment = useCallback((event: ExperimentEvent) => writer?.addExperiment(event), [writer]);
  const state = useSyncExternalStore(writer?.subscribe ?? noop, writer?.getState ?? (() => IDLE), () => IDLE);
  /** The last run's report, its saving progress and the redaction it was saved with. */
  return { listener, state, redaction: run?.redaction ?? null, options, setOptions, recordExperiment };
}
