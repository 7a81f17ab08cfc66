// A report's outcome: from the engine's result when the run ended normally, or rebuilt from the stored records when
// it did not (a run that failed as a whole, a report left incomplete by a restart). Pure and client-safe.
import { CookieTimeline } from '@/lib/probe/cookie-timeline';
import { diagnose } from '@/lib/probe/diagnosis';
import type { CookieDecoder } from '@/lib/probe/identity';
import { recordedDetection } from '@/lib/probe/protocols/detect';
import { ProtocolTally } from '@/lib/probe/protocols/tally';
import type { ProbeSpec } from '@/lib/probe/spec';
import type { CookieSummary, Diagnosis, ProbeEnd, ProbeRecord, ProtocolDetection, ProtocolSummary, StickyVerdict } from '@/lib/probe/types';
import { toProbeUrl } from '@/lib/probe/url';
import { evaluateExpectation, VerdictAggregator } from '@/lib/probe/verdict';
import type { ReportOutcome } from './schema';

/** What a run's live view or final result can tell (the engine's `LiveProbe` and `ProbeResult` both fit). */
export type RunFindings = {
  verdict: StickyVerdict;
  diagnosis: Diagnosis[];
  cookies: CookieSummary;
  /** The protocol's evidence, when the run (or its live view) has it. */
  protocol?: ProtocolSummary;
};

export function toReportOutcome(ended: ProbeEnd, findings: RunFindings, spec: Pick<ProbeSpec, 'expect'>): ReportOutcome {
  return {
    ended,
    verdict: findings.verdict,
    expectation: evaluateExpectation(findings.verdict, spec.expect),
    diagnosis: findings.diagnosis,
    cookies: findings.cookies,
    protocol: findings.protocol ?? null,
  };
}

export type ReplayOptions = {
  decode?: CookieDecoder;
  /** Sizes the chart snapshot. */
  windows?: number;
  /** How the run chose its protocol, when the run said so; else it is read back from the records. */
  detection?: ProtocolDetection;
};

/** Replays records through the same aggregators the engine uses, the protocol's evidence included. */
export function replayRecords(spec: ProbeSpec, records: readonly ProbeRecord[], options: ReplayOptions = {}) {
  const aggregator = new VerdictAggregator({ windows: options.windows });
  const timeline = new CookieTimeline({ decode: options.decode });
  const tally = new ProtocolTally(options.detection ?? recordedDetection(spec.protocol, records));
  const identitySources: Record<string, number> = {};
  for (const r of records) {
    aggregator.add(r);
    timeline.add(r);
    tally.add(r);
    if (r.identitySource !== null) identitySources[r.identitySource] = (identitySources[r.identitySource] ?? 0) + 1;
  }
  const verdict = aggregator.verdict();
  const cookies = timeline.summary();
  const protocol = tally.summary();
  const diagnosis = diagnose({
    target: toProbeUrl(spec.target),
    cookies: spec.cookies,
    concurrency: spec.concurrency,
    verdict,
    cookieSummary: cookies,
    identitySources,
    protocol,
  });
  return { verdict, cookies, diagnosis, protocol, snapshot: aggregator.snapshot() };
}
