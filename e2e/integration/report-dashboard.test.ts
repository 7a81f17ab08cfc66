// Reports on a real dashboard process (scripts/start.mjs, the built app, the embedded demo lab): a run saved the way
// the Probe page saves it survives the dashboard being killed mid-run, and the CLI publishes runs to it.
//
// "Incomplete" here rests on the store's start-up sweep (`markIncompleteOnStartup`): the restarted process marks the
// runs that a process of this host, now gone, left `running`.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { runProbe } from '@/lib/probe/engine';
import { parseProbeSpec } from '@/lib/probe/spec';
import { RelayTransport } from '@/lib/relay/client';
import { replayRecords, toReportOutcome } from '@/lib/reports/outcome';
import { parseReport } from '@/lib/reports/schema';
import { ReportWriter } from '@/lib/reports/writer';
import { closedLoopbackPort } from '@/lib/test/loopback';
import { isolatedEnv, waitUntilHealthy } from './dashboard-health';
import { labDockerHost, runStickyscope } from './lab-cli';

const root = fileURLToPath(new URL('../..', import.meta.url));
const dir = mkdtempSync(path.join(os.tmpdir(), 'stickyscope-report-dashboard-'));
const dbPath = path.join(dir, 'reports.db');
let port = 0;
let base = '';
let app: ChildProcess | null = null;

/** Starts the dashboard in its own process group (start.mjs and the Next.js server under it) and waits until it answers. */
async function startDashboard(): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['scripts/start.mjs'], {
    cwd: root,
    detached: true,
    stdio: ['ignore', 'ignore', 'inherit'],
    env: isolatedEnv({ PORT: String(port), STICKYSCOPE_LAB: '1', STICKYSCOPE_DOCKER: 'off', STICKYSCOPE_DB_PATH: dbPath }),
  });
  await waitUntilHealthy(child, base);
  return child;
}

function killDashboard(signal: NodeJS.Signals): Promise<void> {
  const child = app;
  app = null;
  if (!child?.pid) return Promise.resolve();
  const gone = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  process.kill(-child.pid, signal);
  return gone;
}

async function labTarget(scenario: string) {
  const topology = (await (await fetch(`${base}/api/topology`)).json()) as { sources: { lab: { balancer: { address: string; port: number } } } };
  const { address, port: labPort } = topology.sources.lab.balancer;
  expect(address).toBe('127.0.0.1');
  const host = `${scenario}.lab.test`;
  return { target: `http://${host}:${labPort}/`, resolve: `${host}:${labPort}:${address}` };
}

beforeAll(async () => {
  port = await closedLoopbackPort();
  base = `http://127.0.0.1:${port}`;
  app = await startDashboard();
}, 600_000);

afterAll(async () => {
  await killDashboard('SIGTERM');
  rmSync(dir, { recursive: true, force: true });
});

describe('reports on a running dashboard', () => {
  it('keeps every acknowledged record of a run whose dashboard was killed, as an incomplete report', async () => {
    const { target, resolve } = await labTarget('sticky-ok');
    const spec = parseProbeSpec({ target, resolve: [resolve], requests: 5000, intervalMs: 0 });
    // The Probe page's transport and report writer, pointed at the dashboard from outside a browser.
    const writer = new ReportWriter({ spec, startedAt: Date.now(), endpoint: `${base}/api/reports`, batchSize: 50, flushMs: 20, retryDelaysMs: [] });
    const transport = new RelayTransport({
      endpoint: `${base}/api/relay`,
      resolve: spec.resolve,
      timeoutMs: spec.timeoutMs,
      insecureTls: false,
      concurrency: 1,
      readsBody: true,
      exposeHeaders: [],
    });
    const stop = new AbortController();
    const run = runProbe(spec, transport, { signal: stop.signal, keepRecords: false, onRecord: (r) => writer.add(r) });

    await vi.waitFor(() => expect(writer.getState().saved).toBeGreaterThanOrEqual(300), { timeout: 60_000, interval: 20 });
    const { reportId, saved: acknowledged } = writer.getState();
    await killDashboard('SIGKILL');
    stop.abort();
    const result = await run;
    expect(result.verdict.total).toBeGreaterThan(acknowledged);
    // With the dashboard gone the writer gives up and says so; the run itself was never held up by it.
    const final = await writer.finish('stopped', toReportOutcome('aborted', replayRecords(spec, []), spec));
    expect(final.phase).toBe('failed');
    expect(final.saved).toBe(acknowledged);

    app = await startDashboard();
    const response = await fetch(`${base}/api/reports/${reportId}`);
    expect(response.status).toBe(200);
    const report = parseReport(await response.json());
    expect(report.status).toBe('incomplete');
    expect(report.outcome).toBeNull();
    expect(report.records.length).toBeGreaterThanOrEqual(acknowledged);
    expect(report.records.map((r) => r.index)).toEqual(Array.from({ length: report.records.length }, (_, i) => i + 1));

    const listed = (await (await fetch(`${base}/api/reports`)).json()) as { reports: { id: string; status: string; records: number }[] };
    expect(listed.reports.find((r) => r.id === reportId)).toMatchObject({ status: 'incomplete', records: report.records.length });
    const page = await (await fetch(`${base}/reports/${reportId}`)).text();
    expect(page).toContain('incomplete');
    expect(page).toContain('PASS');
  });

  it('publishes a CLI run and prints a share link that opens the report; a failed publish has its own exit code', async () => {
    const sticky = await labTarget('sticky-ok');
    const args = (t: { target: string; resolve: string }, reportTo: string) => ['probe', t.target, '--resolve', t.resolve, '--requests', '20', '--interval', '0', '--report-to', reportTo];

    const published = await runStickyscope(args(sticky, base), labDockerHost());
    expect(published.code).toBe(0);
    const shareUrl = /^Report: (\S+)  \(the link expires \d{4}-\d{2}-\d{2}\)$/m.exec(published.stdout)?.[1] ?? '';
    expect(shareUrl).toMatch(new RegExp(`^${base}/r/[A-Za-z0-9_-]{22}$`));
    const shared = await fetch(shareUrl);
    expect(shared.status).toBe(200);
    expect(shared.headers.get('referrer-policy')).toBe('no-referrer');
    expect(await shared.text()).toContain('PASS');

    const closed = `http://127.0.0.1:${await closedLoopbackPort()}`;
    const unpublished = await runStickyscope(args(sticky, closed), labDockerHost());
    expect(unpublished.code).toBe(3);
    expect(unpublished.stdout).toContain('PASS');
    expect(unpublished.stderr).toContain(`the report was not published: ${closed}/api/reports could not be reached`);

    const failing = await runStickyscope(args(await labTarget('no-sticky'), closed), labDockerHost());
    expect(failing.code).toBe(1);
    expect(failing.stderr).toContain('the report was not published');
  });

  it('is what the CLI reads with --dashboard: topology, lint, and a probe of a demo lab host by its name alone', async () => {
    const topology = await runStickyscope(['topology', '--dashboard', base], null);
    expect(topology.code).toBe(0);
    expect(topology.stdout).toMatch(/^lab\s+ok/m);
    expect(topology.stdout).toMatch(/^no-sticky\s+.*NOT sticky\s+no-sticky\.lab\.test$/m);

    const lint = await runStickyscope(['lint', '--json'], null, 30_000, { STICKYSCOPE_DASHBOARD: base });
    const api = (await (await fetch(`${base}/api/findings`)).json()) as { counts: { error: number }; findings: unknown[] };
    expect(api.findings.length).toBeGreaterThan(0);
    expect((JSON.parse(lint.stdout) as { findings: unknown[] }).findings).toEqual(api.findings);
    expect(lint.code).toBe(api.counts.error > 0 ? 1 : 0);

    const probe = (scenario: string) => runStickyscope(['probe', `http://${scenario}.lab.test/`, '--dashboard', base, '--requests', '30', '--interval', '0'], null);
    const broken = await probe('no-sticky');
    expect(broken.stderr).toContain("no-sticky.lab.test is the demo lab's service no-sticky");
    expect(broken.code).toBe(1);
    expect(broken.stdout).toContain('FAIL');
    expect(broken.stdout).toMatch(/Dashboard findings for no-sticky:[\s\S]*no-sticky: /);
    const working = await probe('sticky-ok');
    expect(working.code).toBe(0);
    expect(working.stdout).toContain('PASS');

    const nothing = await runStickyscope(['topology'], null, 30_000, { STICKYSCOPE_DOCKER: 'off' });
    expect(nothing.code).toBe(2);
    expect(nothing.stderr).toMatch(/no cluster configured: .*--dashboard URL/);
    const gone = await runStickyscope(['lint', '--dashboard', `http://127.0.0.1:${await closedLoopbackPort()}`], null);
    expect(gone.code).toBe(2);
    expect(gone.stderr).toMatch(/api\/findings could not be reached/);
  });
});
