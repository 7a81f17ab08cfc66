// Stateless dashboard: two dashboard processes (the built app, each with its own demo lab) on one real PostgreSQL,
// as several replicas behind a non-sticky balancer would run. A run started through one has its record batches
// land on both in turn, is finished through the other, and its report is read and shared through either.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runProbe } from '@/lib/probe/engine';
import { parseProbeSpec } from '@/lib/probe/spec';
import { RelayTransport } from '@/lib/relay/client';
import { toReportOutcome } from '@/lib/reports/outcome';
import { parseReport } from '@/lib/reports/schema';
import { ReportWriter } from '@/lib/reports/writer';
import { startDashboard, stopDashboard, type DashboardProcess } from './dashboard-health';
import { findPostgresBinDir, startPostgres, type PostgresCluster } from '../../scripts/lab/postgres.mjs';

const binDir = findPostgresBinDir();
if (!binDir) process.stderr.write('[report-two-dashboards] skipped: no PostgreSQL server in /usr/lib/postgresql/*/bin\n');

const startOn = (databaseUrl: string) => startDashboard({ STICKYSCOPE_LAB: '1', STICKYSCOPE_DOCKER: 'off', DATABASE_URL: databaseUrl });

describe.skipIf(!binDir)('two dashboards on one PostgreSQL', () => {
  let cluster: PostgresCluster;
  let a: DashboardProcess;
  let b: DashboardProcess;

  beforeAll(async () => {
    cluster = await startPostgres();
    // One after the other: the first start builds the app when needed, the second finds it built.
    a = await startOn(cluster.url);
    b = await startOn(cluster.url);
  }, 600_000);

  afterAll(async () => {
    await Promise.all([stopDashboard(a), stopDashboard(b)]);
    await cluster?.stop();
  });

  it('a run started through one is written through both, then read and shared through the other', async () => {
    const topology = (await (await fetch(`${a.base}/api/topology`)).json()) as { sources: { lab: { balancer: { address: string; port: number } } } };
    const { address, port } = topology.sources.lab.balancer;
    const host = 'sticky-ok.lab.test';
    const spec = parseProbeSpec({ target: `http://${host}:${port}/`, resolve: [`${host}:${port}:${address}`], requests: 200, intervalMs: 0 });

    // A non-sticky balancer in front of the two: each report API call goes to the other dashboard than the last.
    const served: string[] = [];
    let next = 0;
    const alternating: typeof fetch = (input, init) => {
      const dashboard = [a, b][next++ % 2]!;
      served.push(dashboard.base);
      const url = new URL(String(input));
      return fetch(`${dashboard.base}${url.pathname}${url.search}`, init);
    };
    const writer = new ReportWriter({ spec, startedAt: Date.now(), endpoint: `${a.base}/api/reports`, fetch: alternating, batchSize: 20, flushMs: 5, retryDelaysMs: [] });
    const transport = new RelayTransport({ endpoint: `${a.base}/api/relay`, resolve: spec.resolve, timeoutMs: spec.timeoutMs, insecureTls: false, concurrency: 1, readsBody: true, exposeHeaders: [] });
    const result = await runProbe(spec, transport, { keepRecords: true, onRecord: (r) => writer.add(r) });
    expect(result.verdict.sticky).toBe(true);
    const final = await writer.finish('complete', toReportOutcome(result.ended, result, spec));
    expect(final).toMatchObject({ phase: 'saved', saved: 200, lost: 0 });
    expect(new Set(served)).toEqual(new Set([a.base, b.base]));

    // Read through each: the same report, every record, complete.
    const read = async (d: DashboardProcess) => parseReport(await (await fetch(`${d.base}/api/reports/${final.reportId}`)).json());
    const [fromA, fromB] = await Promise.all([read(a), read(b)]);
    expect(fromB).toEqual(fromA);
    expect(fromB.status).toBe('complete');
    expect(fromB.records.map((r) => r.index)).toEqual(result.records.map((r) => r.index));
    expect(fromB.outcome?.verdict.status).toBe('pass');

    // Shared through B, opened through A (and the link B hands out, for B).
    const share = await fetch(`${b.base}/api/reports/${final.reportId}/shares`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    expect(share.status).toBe(201);
    const { shareUrl } = (await share.json()) as { shareUrl: string };
    const shareId = new URL(shareUrl).pathname.split('/').pop();
    for (const d of [a, b]) {
      const page = await fetch(`${d.base}/r/${shareId}`);
      expect(page.status).toBe(200);
      expect(await page.text()).toContain('PASS');
    }
  });
});
