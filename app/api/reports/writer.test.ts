// The Probe page's report writer against the real route handlers and a real SQLite store, with faults injected into
// the transport between them.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { replayRecords, toReportOutcome } from '@/lib/reports/outcome';
import { openSqliteReportStore } from '@/lib/reports/sqlite';
import { testExperiment, testRecords, testSpec } from '@/lib/reports/test/fixtures';
import { ReportWriter, type ReportWriterOptions } from '@/lib/reports/writer';

const dir = mkdtempSync(path.join(os.tmpdir(), 'stickyscope-report-writer-'));

vi.mock('@/lib/env', () => ({
  getConfig: () => ({ reportsDbPath: path.join(dir, 'reports.db'), lab: false, clusters: [], allowedTargets: [], refreshIntervalMs: 5000 }),
}));
vi.mock('@/lib/topology', () => ({
  getTopology: async () => {
    throw new Error('no cluster in this test');
  },
}));

const { dispatch } = await import('./test/dispatch');
const { getReportStore } = await import('@/lib/reports');

afterAll(async () => {
  await (await getReportStore()).close();
  rmSync(dir, { recursive: true, force: true });
});

const spec = testSpec({ requests: 500 });
const outcomeOf = (n: number) => toReportOutcome('completed', replayRecords(spec, testRecords(n)), spec);
const writer = (over: Partial<ReportWriterOptions> = {}) =>
  new ReportWriter({ spec, startedAt: 1_700_000_000_000, fetch: dispatch, batchSize: 50, flushMs: 1, retryDelaysMs: [1, 1, 1], ...over });
const stored = async (id: string | null) => (await getReportStore()).getReport(id ?? '');

describe('ReportWriter', () => {
  it('saves every record in order in batches while the run goes, then finishes the report', async () => {
    const sent: number[] = [];
    const w = writer({
      fetch: async (input, init) => {
        if (String(input).endsWith('/records')) sent.push((JSON.parse(String(init?.body)) as { records: unknown[] }).records.length);
        return dispatch(input, init);
      },
    });
    const records = testRecords(230);
    for (const r of records) w.add(r);
    const final = await w.finish('complete', outcomeOf(230));
    expect(final).toMatchObject({ phase: 'saved', saved: 230, pending: 0, lost: 0, status: 'complete', problem: null });
    expect(sent.every((n) => n <= 50)).toBe(true);
    expect(sent.reduce((a, b) => a + b, 0)).toBe(230);
    const report = await stored(final.reportId);
    expect(report?.status).toBe('complete');
    expect(report?.records).toEqual(records);
    // A run without a readable topology is still recorded.
    expect(report?.topology).toBeNull();
  });

  it('saves the experiments of the run beside its records, a retried one once, and says when one came too late', async () => {
    let experimentFaults = 1;
    const w = writer({
      fetch: async (input, init) => {
        if (String(input).endsWith('/experiments') && experimentFaults-- > 0) throw new TypeError('fetch failed');
        return dispatch(input, init);
      },
    });
    const records = testRecords(200);
    for (const r of records.slice(0, 95)) w.add(r);
    w.addExperiment(testExperiment());
    for (const r of records.slice(95)) w.add(r);
    const final = await w.finish('complete', outcomeOf(200));
    expect(final).toMatchObject({ phase: 'saved', saved: 200, experiments: 1, problem: null });
    const report = await stored(final.reportId);
    expect(report?.experiments).toHaveLength(1);
    expect(report?.experiments[0]).toMatchObject({ ...testExperiment(), measurement: { outcome: 'recovered', repinned: true } });

    w.addExperiment(testExperiment({ id: 'late', action: 'drain' }));
    expect(w.getState().problem).toMatch(/drain experiment came after the report was closed/);
    expect((await stored(final.reportId))?.experiments).toHaveLength(1);
  });

  it('re-sends a batch after network errors and 5xx answers without duplicating or reordering records', async () => {
    let faults = 3;
    const w = writer({
      fetch: async (input, init) => {
        if (String(input).endsWith('/records') && faults > 0) {
          faults--;
          if (faults === 1) return new Response('busy', { status: 503 });
          throw new TypeError('fetch failed');
        }
        return dispatch(input, init);
      },
    });
    const problems = new Set<string>();
    w.subscribe(() => {
      const p = w.getState().problem;
      if (p) problems.add(p);
    });
    for (const r of testRecords(120)) w.add(r);
    const final = await w.finish('stopped', outcomeOf(120));
    expect(final).toMatchObject({ phase: 'saved', saved: 120, lost: 0, status: 'stopped', problem: null });
    expect([...problems].join('\n')).toMatch(/retrying: fetch failed[\s\S]*retrying: HTTP 503/);
    expect((await stored(final.reportId))?.records.map((r) => r.index)).toEqual(testRecords(120).map((r) => r.index));
  });

  it('stops at a refusal and says why: a report closed by a restart takes no more records', async () => {
    const w = writer();
    for (const r of testRecords(50)) w.add(r);
    await vi.waitFor(() => expect(w.getState().saved).toBe(50));
    // A dashboard starting on this host after the writing process died.
    const restarted = await openSqliteReportStore({
      path: path.join(dir, 'reports.db'),
      writer: { host: os.hostname(), pid: process.pid + 1 },
      isProcessAlive: (pid) => pid !== process.pid,
    });
    expect(await restarted.markIncompleteOnStartup()).toBe(1);
    await restarted.close();
    for (const r of testRecords(70, 51)) w.add(r);
    const final = await w.finish('complete', outcomeOf(120));
    expect(final.phase).toBe('failed');
    expect(final.problem).toMatch(/records could not be saved: .*incomplete, not running \(HTTP 409\)/);
    expect(final).toMatchObject({ saved: 50, lost: 70, pending: 0 });
    w.add(testRecords(1, 121)[0]!);
    expect(w.getState().lost).toBe(71);
    const report = await stored(final.reportId);
    expect(report?.status).toBe('incomplete');
    expect(report?.records).toHaveLength(50);
  });

  it('keeps at most maxPending records waiting and counts the rest as lost', async () => {
    let open!: () => void;
    const gate = new Promise<void>((resolve) => (open = resolve));
    const w = writer({
      maxPending: 10,
      fetch: async (input, init) => {
        await gate;
        return dispatch(input, init);
      },
    });
    for (const r of testRecords(25)) w.add(r);
    expect(w.getState()).toMatchObject({ lost: 15, saved: 0 });
    expect(w.getState().problem).toContain('more than 10 records waiting');
    open();
    const final = await w.finish('complete', outcomeOf(25));
    expect(final).toMatchObject({ phase: 'saved', saved: 10, lost: 15 });
    expect((await stored(final.reportId))?.records.map((r) => r.index)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
  });

  it('fails with the server message when the report cannot be created', async () => {
    const w = writer({ spec: { ...spec, target: 'not a url' } as typeof spec });
    w.add(testRecords(1)[0]!);
    const final = await w.finish('complete', outcomeOf(1));
    expect(final.phase).toBe('failed');
    expect(final.problem).toMatch(/^the report could not be created: invalid probe run: spec.target: .*HTTP 400/);
    expect(final.lost).toBe(1);
  });
});
