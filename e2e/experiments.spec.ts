import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, test, type Locator, type Page } from '@playwright/test';
import { parseReport } from '@/lib/reports/schema';
import { startDashboard, stopDashboard, type DashboardProcess } from './integration/dashboard-health';
import { httpStatus, startSwarmHaproxy, type SwarmHaproxy } from './integration/swarm-haproxy';
import { labService, readLabInfo, type E2eLabService } from './lab-info';

// A failover experiment driven through the Probe page, on the real Swarm lab: a real HAProxy with cookie insert and
// redispatch in front of web-sticky's three host-network replicas, and a dashboard of its own with experiments on for
// web-sticky only (the shared swarm-lab dashboard keeps them off). The run is pinned, the pinned task's container is
// killed through preview and confirm, and the page, the saved report and its API must show what the failover did.

const SERVICE = 'web-sticky';
const REQUESTS = 150;
/** Spaces the run out so there is time to preview and confirm while it goes on. */
const INTERVAL_MS = 100;
const KILL_LABEL = "Stop the task's container";

type TopologyTask = { id: string; state: string; hostname: string | null; containerId: string | null };
type TopologyService = { name: string; tasks: TopologyTask[] };

let dir: string | undefined;
let haproxy: SwarmHaproxy | undefined;
let dashboard: DashboardProcess | undefined;
let lab: E2eLabService;
let killedTaskId: string | null = null;

async function webStickyTasks(base: string): Promise<TopologyTask[]> {
  const response = await fetch(`${base}/api/topology`);
  if (!response.ok) return [];
  const topology = (await response.json()) as { services: TopologyService[] };
  return topology.services.find((s) => s.name === SERVICE)?.tasks ?? [];
}

test.beforeAll(async () => {
  test.setTimeout(180_000);
  const info = readLabInfo();
  lab = labService(info, SERVICE, 3);
  dir = mkdtempSync(path.join(os.tmpdir(), 'stickyscope-e2e-experiments-'));
  haproxy = await startSwarmHaproxy(lab, dir);
  dashboard = await startDashboard({
    DOCKER_HOST: info.swarm.dockerHost,
    STICKYSCOPE_LAB: '0',
    STICKYSCOPE_EXPERIMENTS: '1',
    STICKYSCOPE_EXPERIMENT_SERVICES: SERVICE,
    STICKYSCOPE_ALLOWED_TARGETS: new URL(haproxy.frontend).host,
    STICKYSCOPE_DB_PATH: path.join(dir, 'reports.db'),
    STICKYSCOPE_REFRESH_MS: '2000',
  });
});

test.afterAll(async () => {
  test.setTimeout(120_000);
  try {
    // Leave the lab as found: three running web-sticky tasks, none of them the killed one, each answering on its port.
    if (dashboard && killedTaskId) {
      const base = dashboard.base;
      await expect
        .poll(async () => (await webStickyTasks(base)).filter((t) => t.state === 'running' && t.id !== killedTaskId).length, {
          message: `${SERVICE} runs three tasks again`,
          timeout: 60_000,
        })
        .toBe(3);
      await expect
        .poll(async () => (await Promise.all(lab.urls.map(httpStatus))).every((s) => s === 200), { message: `every ${SERVICE} replica answers`, timeout: 30_000 })
        .toBe(true);
    }
  } finally {
    await haproxy?.stop();
    await stopDashboard(dashboard);
    if (dir) rmSync(dir, { recursive: true, force: true });
  }
});

/** The marks of the experiments on the run's two request-index charts. */
async function expectAnnotationMarks(page: Page) {
  for (const name of ['Replica lane timeline', 'Cookie event timeline']) {
    const marks = page.getByRole('figure', { name }).locator('[data-mark="annotation"]');
    await expect(marks, name).toHaveCount(1);
    await expect(marks, name).toContainText(KILL_LABEL);
    await expect(marks.locator('line'), name).toHaveAttribute('stroke-dasharray', /\d/);
  }
}

/** What the failover did to this client, in the words the Probe page and the report page share. */
async function expectFailoverSummary(region: Locator, facts: { taskName: string; afterIndex: number; from: string; to: string }) {
  await expect(region).toContainText(`${KILL_LABEL} on ${facts.taskName}, after request ${facts.afterIndex}`);
  await expect(region).toContainText(`Failed over from ${facts.from} to ${facts.to} in`);
  await expect(region).toContainText(`Re-pinned: ${facts.from} → ${facts.to}`);
  await expect(region).toContainText(new RegExp(`Balancer cookie SRV re-issued at request \\d+: ${facts.from} → ${facts.to}`));
}

test('kill the pinned task from the Probe page: preview, confirm, markers, failover summary, saved report', async ({ page }, testInfo) => {
  test.setTimeout(240_000);
  const base = dashboard!.base;
  const q = new URLSearchParams({ target: haproxy!.frontend, requests: String(REQUESTS), interval: String(INTERVAL_MS) });
  await page.goto(`${base}/probes?${q}`);
  await expect(page.getByLabel('Target URL')).toHaveValue(haproxy!.frontend);
  await expect(page.getByLabel('Requests')).toHaveValue(String(REQUESTS));
  await expect(page.getByLabel('Interval (ms)')).toHaveValue(String(INTERVAL_MS));
  await page.getByRole('button', { name: 'Start' }).click();

  // Pinned, and the pinned replica maps to a web-sticky task the experiments may act on.
  const panel = page.getByRole('region', { name: 'Failover experiment' });
  await expect(panel).toContainText(new RegExp(`Pinned to app-[123], task ${SERVICE}\\.[123] of service ${SERVICE}`));
  const pinned = /Pinned to (app-[123]), task (\S+) of service/.exec((await panel.textContent()) ?? '');
  const pinnedReplica = pinned![1]!;
  const taskName = pinned![2]!;
  await expect(panel.getByLabel('Action')).toHaveValue('kill-task');

  // The exact call: the container of the pinned task, as the Swarm reports it.
  const task = (await webStickyTasks(base)).find((t) => t.state === 'running' && t.hostname === pinnedReplica);
  expect(task?.containerId, `a running ${SERVICE} task named ${pinnedReplica}`).toMatch(/^[0-9a-f]{64}$/);
  const previewButton = panel.getByRole('button', { name: 'Preview' });
  await expect(previewButton).toBeEnabled();
  await previewButton.click();
  const preview = panel.getByRole('group', { name: 'Experiment preview' });
  await expect(preview.getByRole('listitem')).toHaveText([`POST /containers/${task!.containerId}/kill`]);
  await expect(preview).toContainText(taskName);
  await expect(preview).toContainText('Confirm before');
  await expect(preview.getByRole('button', { name: 'Cancel' })).toBeEnabled();
  killedTaskId = task!.id;
  await preview.getByRole('button', { name: 'Confirm and run' }).click();

  await expect(panel.getByRole('status')).toContainText(`Done: killed container ${task!.containerId!.slice(0, 12)} of ${taskName}`);
  const inRun = panel.getByRole('list', { name: 'Experiments in this run' }).getByRole('listitem');
  await expect(inRun).toHaveCount(1);
  await expect(inRun).toContainText(`${KILL_LABEL} on ${taskName}`);
  const afterIndex = Number(/after request (\d+)/.exec((await inRun.textContent()) ?? '')?.[1]);
  expect(afterIndex).toBeGreaterThan(0);

  const progress = page.getByRole('progressbar', { name: 'Probe progress' });
  await expect(progress).toHaveAttribute('aria-valuenow', String(REQUESTS), { timeout: 120_000 });
  await expect(page.getByRole('button', { name: 'Start' })).toBeEnabled();

  // Under the verdict: where the client went and the balancer's new cookie.
  const verdict = page.getByRole('region', { name: 'Verdict' });
  await expect(verdict).toContainText('FAIL');
  const summary = page.getByRole('region', { name: 'Failover measurement' });
  await expect(verdict.locator('xpath=following-sibling::*[1]')).toHaveAttribute('aria-label', 'Failover measurement');
  await expect(summary).toContainText(new RegExp(`Re-pinned: ${pinnedReplica} → app-[123]`));
  const repinnedTo = /Re-pinned: \S+ → (app-[123])/.exec((await summary.textContent()) ?? '')![1]!;
  expect(repinnedTo).not.toBe(pinnedReplica);
  const facts = { taskName, afterIndex, from: pinnedReplica, to: repinnedTo };
  await expectFailoverSummary(summary, facts);
  await expectAnnotationMarks(page);

  // The server's log: this preview and its confirmation, both for web-sticky.
  await panel.getByText(/^Experiment log \(\d+\)$/).click();
  const log = panel.getByRole('list', { name: 'Experiment log' });
  await expect(log.getByRole('listitem').filter({ hasText: 'preview kill-task ok' })).toContainText(SERVICE);
  await expect(log.getByRole('listitem').filter({ hasText: 'confirm kill-task ok' })).toContainText(SERVICE);
  await page.screenshot({ path: testInfo.outputPath('probe-failover.png'), fullPage: true });

  // The saved report: the same measurement and marks, and the action in its API.
  await expect(page.getByRole('status', { name: 'Report saving' })).toContainText('Saved as a report');
  await page.getByRole('link', { name: 'Open report' }).click();
  await expect(page).toHaveURL(/\/reports\/[^/]+$/);
  const reportId = new URL(page.url()).pathname.split('/').pop()!;
  await expectFailoverSummary(page.getByRole('region', { name: 'Failover measurement' }), facts);
  await expectAnnotationMarks(page);
  await page.screenshot({ path: testInfo.outputPath('report-failover.png'), fullPage: true });

  const response = await page.request.get(`${base}/api/reports/${reportId}`);
  expect(response.ok()).toBe(true);
  const report = parseReport(await response.json());
  expect(report.records).toHaveLength(REQUESTS);
  expect(report.experiments).toHaveLength(1);
  const stored = report.experiments[0]!;
  expect(stored).toMatchObject({ action: 'kill-task', service: SERVICE, taskId: task!.id, taskName, replica: pinnedReplica, afterIndex, ok: true });
  expect(stored.measurement).toMatchObject({ outcome: 'recovered', pinnedReplica, repinned: true, repinnedTo, balancerCookie: { name: 'SRV', before: pinnedReplica, after: repinnedTo, reissued: true } });
});
