import { describe, expect, it } from 'vitest';
import { InputError } from '@/lib/errors';
import { parseReport, toReportJson, type Report } from './schema';
import { testOutcome, testRecords, testSpec, testTopology } from './test/fixtures';

function report(): Report {
  const spec = testSpec();
  const records = testRecords(120);
  return {
    schemaVersion: 1,
    id: 'abc',
    status: 'complete',
    startedAt: 1_700_000_000_000,
    endedAt: 1_700_000_005_000,
    dashboardVersion: '0.1.0',
    spec,
    records,
    outcome: testOutcome(records, spec),
    topology: testTopology(),
    redaction: { onShare: true, stripQuery: false, applied: null },
  };
}

describe('report schema', () => {
  it('round-trips an export to an equal report', () => {
    const original = report();
    expect(parseReport(JSON.parse(toReportJson(original)))).toEqual(original);
    const running = { ...original, status: 'running' as const, endedAt: null, outcome: null, topology: null };
    expect(parseReport(JSON.parse(toReportJson(running)))).toEqual(running);
  });

  it('refuses other schema versions, unknown keys and broken records with every problem listed', () => {
    const bad = { ...JSON.parse(toReportJson(report())), schemaVersion: 2, extra: true };
    bad.records[0].status = 'ok';
    try {
      parseReport(bad);
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(InputError);
      const issues = (error as InputError).issues.join('\n');
      expect(issues).toContain('schemaVersion');
      expect(issues).toContain('extra');
      expect(issues).toContain('records.0.status');
    }
  });
});
