// A finished probe run in the export form, for runs that happen outside a dashboard (the CLI) and are published to one.
import { measureExperiments } from '@/lib/experiments/report';
import type { ExperimentEvent } from '@/lib/experiments/types';
import type { ProbeResult } from '@/lib/probe/engine';
import { toReportOutcome } from './outcome';
import { REPORT_SCHEMA_VERSION, type Report } from './schema';
import { DASHBOARD_VERSION } from './version';

/** The id an export carries until a dashboard imports it and gives it its own. */
export const UNSTORED_REPORT_ID = 'unstored';

export function toRunReport(result: ProbeResult, experiments: readonly ExperimentEvent[] = []): Report {
  return {
    schemaVersion: REPORT_SCHEMA_VERSION,
    id: UNSTORED_REPORT_ID,
    status: result.ended === 'aborted' ? 'stopped' : 'complete',
    startedAt: result.startedAt,
    endedAt: result.startedAt + Math.round(result.durationMs),
    dashboardVersion: DASHBOARD_VERSION,
    spec: result.spec,
    records: result.records,
    outcome: toReportOutcome(result.ended, result, result.spec),
    topology: null,
    experiments: measureExperiments(experiments, result.records),
    redaction: { onShare: true, stripQuery: false, applied: null },
  };
}
