import { describe, expect, it } from 'vitest';
import { InputError } from '@/lib/errors';
import { parseReport, REPORT_SCHEMA_VERSION, toReportJson } from './schema';
import { measureExperiments } from '@/lib/experiments/report';
import { testExperiment, testRecords } from './test/fixtures';
import { testReport } from './test/reports';

const report = () => testReport({}, testRecords(120));

describe('report schema', () => {
  it('round-trips an export to an equal report', () => {
    const original = report();
    expect(parseReport(JSON.parse(toReportJson(original)))).toEqual(original);
    const running = { ...original, status: 'running' as const, endedAt: null, outcome: null, topology: null };
    expect(parseReport(JSON.parse(toReportJson(running)))).toEqual(running);
  });

  it('reads a version 1 export as a current report without experiments', () => {
    const { experiments: _none, ...v1 } = { ...JSON.parse(toReportJson(report())), schemaVersion: 1 };
    const read = parseReport(v1);
    expect(read.schemaVersion).toBe(REPORT_SCHEMA_VERSION);
    expect(read.experiments).toEqual([]);
    expect(read.records).toEqual(report().records);
  });

  it('checks each experiment and its measurement like the rest of the report', () => {
    const json = JSON.parse(toReportJson({ ...report(), experiments: measureExperiments([testExperiment()], report().records) }));
    expect(parseReport(json).experiments[0]?.measurement).toMatchObject({ outcome: 'recovered', repinned: true });
    json.experiments[0].action = 'reboot';
    json.experiments[0].measurement.surprise = 1;
    try {
      parseReport(json);
      expect.unreachable();
    } catch (error) {
      const issues = (error as InputError).issues.join('\n');
      expect(issues).toContain('experiments.0.action');
      expect(issues).toContain('experiments.0.measurement');
    }
  });

  it('refuses other schema versions, unknown keys and broken records with every problem listed', () => {
    const bad = { ...JSON.parse(toReportJson(report())), schemaVersion: 3, extra: true };
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
