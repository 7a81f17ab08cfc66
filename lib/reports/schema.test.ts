import { describe, expect, it } from 'vitest';
import { InputError, MAX_LISTED_ISSUES } from '@/lib/errors';
import { PROBE_LIMITS } from '@/lib/probe/spec';
import { REPORT_CONTENT_LIMITS } from './limits';
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

  it('keeps a Shiny run\'s SockJS transport and fallback, and reads older Shiny reports that had neither', () => {
    const base = report();
    const shiny = { transport: 'sockjs-xhr-streaming' as const, workerId: 'w1', fallback: 'the WebSocket at /__sockjs__/1/a/websocket was refused with HTTP 400' };
    const records = base.records.map((r, i) => (i === 1 ? { ...r, protocol: { phase: 'send' as const, lane: 1, session: 's1', outcome: 'ok' as const, answer: 'HTTP 204', shiny } } : r));
    const withXhr = { ...base, spec: { ...base.spec, protocol: 'shiny' as const, shiny: { route: 'auto' as const, output: null, transport: 'xhr-streaming' as const } }, records };
    expect(parseReport(JSON.parse(toReportJson(withXhr)))).toEqual(withXhr);
    const older = JSON.parse(toReportJson(withXhr));
    delete older.spec.shiny.transport;
    delete older.records[1].protocol.shiny.fallback;
    older.records[1].protocol.phase = 'route';
    older.records[1].protocol.shiny.transport = 'sockjs-websocket';
    const read = parseReport(older);
    expect(read.spec.shiny?.transport).toBe('auto');
    expect(read.records[1]?.protocol?.shiny).toEqual({ transport: 'sockjs-websocket', workerId: 'w1' });
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
    const bad = { ...JSON.parse(toReportJson(report())), schemaVersion: 4, extra: true };
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

describe('report limits', () => {
  const problems = (input: unknown) => {
    try {
      parseReport(input);
    } catch (error) {
      if (!(error instanceof InputError)) throw error;
      return { issues: error.issues, count: error.issueCount };
    }
    throw new Error('expected the report to be refused');
  };
  const exported = () => JSON.parse(toReportJson(report())) as Record<string, unknown> & { records: Record<string, unknown>[]; outcome: { verdict: Record<string, unknown> } };

  it('holds at most one record per request of the longest run, refused with one problem before any record is read', () => {
    expect(REPORT_CONTENT_LIMITS.records).toBe(PROBE_LIMITS.maxRequests);
    const over = { ...exported(), records: Array.from({ length: PROBE_LIMITS.maxRequests + 1 }, () => ({})) };
    expect(problems(over)).toEqual({ issues: [expect.stringMatching(/^records: Too big: expected array to have <=100000 items/)], count: 1 });
  });

  it('bounds what one record carries by what one response head can', () => {
    const json = exported();
    const cookies = Array.from({ length: REPORT_CONTENT_LIMITS.cookiesPerRecord + 1 }, () => 'c');
    json.records[0] = { ...json.records[0], cookieSent: cookies, setCookies: cookies, index: PROBE_LIMITS.maxRequests + 1, replica: 'r'.repeat(REPORT_CONTENT_LIMITS.textChars + 1) };
    const { issues, count } = problems(json);
    expect(count).toBe(4);
    expect(issues.map((i) => i.split(':')[0])).toEqual(['records.0.index', 'records.0.replica', 'records.0.setCookies', 'records.0.cookieSent']);
  });

  it('bounds counts keyed by replica or status before reading their keys', () => {
    const json = exported();
    json.outcome.verdict.replicas = Object.fromEntries(Array.from({ length: REPORT_CONTENT_LIMITS.replicas + 1 }, (_, i) => [`r${i}`, 'bad']));
    json.outcome.verdict.errors = { total: 0, byStatus: Object.fromEntries(Array.from({ length: 1000 }, (_, i) => [String(i), 1])), byCode: {} };
    expect(problems(json)).toEqual({
      issues: ['outcome.verdict.replicas: at most 100000 replicas', 'outcome.verdict.errors.byStatus: at most 900 statuses'],
      count: 2,
    });
  });

  it('lists at most 20 problems of a report with thousands, and counts them all', () => {
    const json = exported();
    json.records = json.records.map((r) => ({ ...r, status: 'ok', latencyMs: 'slow' }));
    const { issues, count } = problems(json);
    expect(issues).toHaveLength(MAX_LISTED_ISSUES);
    expect(count).toBe(240);
  });
});
