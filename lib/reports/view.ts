// What a report page draws, derived from a stored report: the verdict, diagnosis and cookie story the run ended with
// (or, for a run that never ended, rebuilt from its records), plus the chart data the live Probe page shows. Pure.
import type { CookieDecoder } from '@/lib/probe/identity';
import { toLaneView, type LaneView } from '@/lib/probe/lanes';
import type { CookieSummary, Diagnosis, ExpectationResult, ProbeRecord, ProbeSnapshot, ProtocolSummary, StickyVerdict } from '@/lib/probe/types';
import { evaluateExpectation } from '@/lib/probe/verdict';
import { replayRecords } from './outcome';
import type { Report } from './schema';

/** As many chart windows as the live Probe page keeps. */
export const REPORT_CHART_WINDOWS = 60;

export type ReportView = {
  verdict: StickyVerdict;
  expectation: ExpectationResult;
  diagnosis: Diagnosis[];
  cookies: CookieSummary;
  /** How the run chose its protocol and what that protocol's answers showed (a Shiny run's facts). */
  protocol: ProtocolSummary;
  snapshot: ProbeSnapshot;
  lanes: LaneView;
  /** First message seen per request error code or HTTP error status, e.g. `refused` → "connection refused (...)". */
  errorSamples: Record<string, string>;
  /** Requests the chart axis spans, as on the live page: the run's planned size. */
  axisTotal: number;
  /** True when the run never reported its end: verdict and diagnosis come from the stored records alone. */
  provisional: boolean;
};

export function errorSamplesOf(records: readonly ProbeRecord[]): Record<string, string> {
  const samples: Record<string, string> = {};
  for (const r of records) {
    if (r.error) {
      if (!(r.error.code in samples)) samples[r.error.code] = r.error.message;
    } else if (r.status !== null && r.status >= 400 && !(`HTTP ${r.status}` in samples)) {
      samples[`HTTP ${r.status}`] = `the target answered HTTP ${r.status}`;
    }
  }
  return samples;
}

export function toReportView(report: Report, options: { decode?: CookieDecoder } = {}): ReportView {
  const outcome = report.outcome;
  const replay = replayRecords(report.spec, report.records, {
    decode: options.decode,
    windows: REPORT_CHART_WINDOWS,
    detection: outcome?.protocol?.detection,
  });
  const verdict = outcome?.verdict ?? replay.verdict;
  return {
    verdict,
    expectation: outcome?.expectation ?? evaluateExpectation(verdict, report.spec.expect),
    diagnosis: outcome?.diagnosis ?? replay.diagnosis,
    cookies: outcome?.cookies ?? replay.cookies,
    protocol: outcome?.protocol ?? replay.protocol,
    snapshot: replay.snapshot,
    lanes: toLaneView(report.records, { total: Math.max(report.spec.requests, report.records.length) }),
    errorSamples: errorSamplesOf(report.records),
    axisTotal: Math.max(report.spec.requests, report.records.length),
    provisional: outcome === null,
  };
}
