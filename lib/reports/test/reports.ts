// Whole reports for tests of the report helpers, built from the shared fixtures.
import type { ProbeRecord } from '@/lib/probe/types';
import { sequence, setEvent } from '@/lib/probe/test/records';
import { replayRecords, toReportOutcome } from '../outcome';
import { REPORT_SCHEMA_VERSION, type Report } from '../schema';
import { testRecords, testSpec, testTopology } from './fixtures';

/** The outcome is what the engine would have diagnosed from these records. */
export function testReport(over: Partial<Report> = {}, records: ProbeRecord[] = testRecords(200)): Report {
  const spec = testSpec();
  return {
    schemaVersion: REPORT_SCHEMA_VERSION,
    id: 'before',
    status: 'complete',
    startedAt: 1_700_000_000_000,
    endedAt: 1_700_000_005_000,
    dashboardVersion: '0.1.0',
    spec,
    records,
    outcome: toReportOutcome('completed', replayRecords(spec, records), spec),
    topology: testTopology(),
    experiments: [],
    redaction: { onShare: true, stripQuery: false, applied: null },
    ...over,
  };
}

/** A run pinned to one replica by a cookie set on the first response and sent back ever after. */
export function stickyRecords(n: number): ProbeRecord[] {
  return sequence(['10.0.1.5'], n, (i) => ({
    setCookies: i === 1 ? [setEvent('_traefik_web', '5f8b3c2a1d9e7f60')] : [],
    cookieSent: i === 1 ? [] : ['_traefik_web'],
    balancer: { name: '_traefik_web', sent: i === 1 ? null : '5f8b3c2a1d9e7f60', set: i === 1 ? '5f8b3c2a1d9e7f60' : null },
  }));
}
