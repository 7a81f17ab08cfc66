// Failover experiment on the real Swarm lab: real HAProxy with cookie insert and redispatch in front of the tasks of
// `web-sticky` (host network, one loopback port per slot), a probe through the real `stickyscope` command, and the
// pinned task's container killed through the Docker API after request 30. The kill-task run is published to a real
// dashboard process, whose stored report and report page must show what the failover did.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';

import type { CliExperimentOutcome } from '@/lib/cli/experiment';
import { parseReport } from '@/lib/reports/schema';

import { startDashboard, stopDashboard, type DashboardProcess } from './dashboard-health';
import { engineGet, labDockerHost, runStickyscope } from './lab-cli';
import { httpStatus, startSwarmHaproxy, type SwarmHaproxy } from './swarm-haproxy';
import { until } from './until';

const SERVICE = 'web-sticky';
const REQUESTS = 120;
const KILL_AFTER = 30;

type EngineService = { ID: string; Version: { Index: number }; Spec: { Mode: { Replicated?: { Replicas: number } }; TaskTemplate: { ForceUpdate?: number } }; PreviousSpec?: { Mode: { Replicated?: { Replicas: number } } } };
type EngineTask = { ID: string; ServiceID: string; Slot?: number; DesiredState: string; Status: { State: string; ContainerStatus?: { ContainerID?: string; ExitCode?: number } } };

async function runningTasks(serviceId: string): Promise<EngineTask[]> {
  const tasks = await engineGet<EngineTask[]>(labDockerHost(), `/tasks?filters=${encodeURIComponent(JSON.stringify({ service: [serviceId] }))}`);
  return tasks.filter((t) => t.DesiredState === 'running' && t.Status.State === 'running');
}

function probeWith(action: string, frontend: string, extra: string[] = []) {
  return runStickyscope(
    ['probe', frontend, '--requests', String(REQUESTS), '--interval', '50', '--experiment', action, '--experiment-at', String(KILL_AFTER), '--json', ...extra],
    labDockerHost(),
    60_000,
    { STICKYSCOPE_EXPERIMENTS: '1', STICKYSCOPE_EXPERIMENT_SERVICES: SERVICE },
  );
}

describe('failover experiment on the real Swarm lab', () => {
  let dir: string;
  let haproxy: SwarmHaproxy | undefined;
  let frontend: string;
  let serviceId: string;
  let replicaUrls: string[];
  let dashboard: DashboardProcess;

  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'stickyscope-failover-'));
    dashboard = await startDashboard({ STICKYSCOPE_LAB: '1', STICKYSCOPE_DOCKER: 'off', STICKYSCOPE_DB_PATH: path.join(dir, 'reports.db') });
    const lab = inject('labServices').find((s) => s.name === SERVICE);
    if (!lab || lab.urls.length < 3) throw new Error(`the lab has no host-network ${SERVICE} with three replicas`);
    replicaUrls = lab.urls;
    const services = await engineGet<{ ID: string; Spec: { Name: string } }[]>(labDockerHost(), '/services');
    serviceId = services.find((s) => s.Spec.Name === SERVICE)!.ID;

    haproxy = await startSwarmHaproxy(lab, dir);
    frontend = haproxy.frontend;
  });

  afterAll(async () => {
    await haproxy?.stop();
    await stopDashboard(dashboard);
    if (dir) rmSync(dir, { recursive: true, force: true });
    // Leave the lab as found: three running tasks, each answering on its port.
    if (serviceId) {
      await until('web-sticky to run three tasks again', async () => (await runningTasks(serviceId)).length === 3, 60_000);
      await until('every web-sticky replica to answer', async () => (await Promise.all(replicaUrls.map(httpStatus))).every((s) => s === 200), 30_000);
    }
  });

  it('kills the pinned task mid-run; the measurement shows the failure window, the re-pin and the new cookie', async () => {
    const before = await runningTasks(serviceId);
    expect(before).toHaveLength(3);

    const run = await probeWith('kill-task', frontend, ['--report-to', dashboard.base]);
    // A re-pin breaks stickiness, so the sticky expectation fails (1); 2 would mean the experiment did not run.
    expect(run.stderr).toContain('"result":"ok"');
    expect(run.code, run.stderr).toBe(1);
    const out = JSON.parse(run.stdout) as { requests: number; experiment: CliExperimentOutcome; report?: { id: string; shareUrl: string } };
    expect(out.requests).toBe(REQUESTS);
    const e = out.experiment;
    expect(e.ok, e.message).toBe(true);
    expect(e.result?.service.name).toBe(SERVICE);
    expect(e.result?.calls).toEqual([expect.stringMatching(/^POST \/containers\/[0-9a-f]{64}\/kill$/)]);
    expect(e.afterIndex).toBeGreaterThanOrEqual(KILL_AFTER);

    const m = e.measurement!;
    expect(m.outcome).toBe('recovered');
    expect(m.pinnedReplica).toMatch(/^app-[123]$/);
    expect(m.failedRequests).toBeGreaterThanOrEqual(0);
    expect(m.timeToRecoveryMs).toBeGreaterThanOrEqual(0);
    expect(m.timeToRecoveryMs).toBeLessThan(10_000);
    expect(m.recovery!.index).toBeGreaterThan(e.afterIndex!);
    // Re-pinned to another replica, with the balancer's new cookie naming it.
    expect(m.repinned).toBe(true);
    expect(m.repinnedTo).toMatch(/^app-[123]$/);
    expect(m.repinnedTo).not.toBe(m.pinnedReplica);
    expect(m.balancerCookie).toMatchObject({ name: 'SRV', before: m.pinnedReplica, after: m.repinnedTo, reissued: true });
    if (m.failedRequests > 0) expect(m.failureWindow!.toIndex).toBeLessThan(m.recovery!.index);

    // The engine agrees: the task the client was pinned to died with SIGKILL, and it was that replica's task.
    const killed = await engineGet<EngineTask>(labDockerHost(), `/tasks/${e.result!.task.id}`);
    expect(before.map((t) => t.ID)).toContain(killed.ID);
    expect(`app-${killed.Slot}`).toBe(m.pinnedReplica);
    expect(e.result!.calls[0]).toContain(killed.Status.ContainerStatus!.ContainerID!);
    // The stored report carries the same experiment, measured from its own records.
    expect(out.report, run.stderr).toBeDefined();
    const report = parseReport(await (await fetch(`${dashboard.base}/api/reports/${out.report!.id}`)).json());
    expect(report.records).toHaveLength(REQUESTS);
    expect(report.experiments).toHaveLength(1);
    const stored = report.experiments[0]!;
    expect(stored).toMatchObject({ action: 'kill-task', service: SERVICE, taskId: e.result!.task.id, afterIndex: e.afterIndex, ok: true, replica: m.pinnedReplica });
    // The published event is on the run's own clock, so the dashboard measures exactly what the CLI did.
    expect(stored.measurement).toEqual(m);
    // The report page says it in words, and marks the action on the request-index charts.
    const html = await (await fetch(`${dashboard.base}/reports/${out.report!.id}`)).text();
    // React separates adjacent text with empty comments and escapes apostrophes.
    const page = html.replace(/<!-- -->/g, '').replace(/&#x27;/g, "'");
    expect(page).toContain('aria-label="Failover measurement"');
    expect(page).toContain(`Stop the task's container on ${e.result!.task.name}, after request ${e.afterIndex}`);
    expect(page).toContain(`Re-pinned: ${m.pinnedReplica} → ${m.repinnedTo}`);
    expect(page).toContain(`Balancer cookie SRV re-issued at request ${m.balancerCookie!.reissuedAt}: ${m.pinnedReplica} → ${m.repinnedTo}`);
    if (m.failureWindow) expect(page).toContain(`Failure window: requests ${m.failureWindow.fromIndex}–${m.failureWindow.toIndex}`);
    await until('the killed task to be reported as ended', async () => {
      const task = await engineGet<EngineTask>(labDockerHost(), `/tasks/${killed.ID}`);
      return task.Status.State !== 'running';
    }, 15_000);
  }, 90_000);

  it('scales the service down during the run and back up after it, through the engine’s own update', async () => {
    await until('web-sticky to run three tasks', async () => (await runningTasks(serviceId)).length === 3, 60_000);
    const before = await engineGet<EngineService>(labDockerHost(), `/services/${serviceId}`);
    const run = await probeWith('scale-down', frontend);
    const out = JSON.parse(run.stdout) as { experiment: CliExperimentOutcome };
    const e = out.experiment;
    expect(e.ok, `${e.message}\n${run.stderr}`).toBe(true);
    expect(e.result?.calls).toEqual([`POST /services/${serviceId}/update?version=${before.Version.Index} (replicas 3 → 2)`]);
    expect(e.measurement?.pinnedReplica).toMatch(/^app-[123]$/);
    expect(e.restored?.ok, e.restored?.message).toBe(true);
    // Two updates: down to two replicas, then back to three.
    const after = await engineGet<EngineService>(labDockerHost(), `/services/${serviceId}`);
    expect(after.Spec.Mode.Replicated?.Replicas).toBe(3);
    expect(after.PreviousSpec?.Mode.Replicated?.Replicas).toBe(2);
    expect(after.Version.Index).toBeGreaterThanOrEqual(before.Version.Index + 2);
  }, 90_000);

  it('forces a rolling restart: every task is replaced and the run measures it', async () => {
    await until('web-sticky to run three tasks', async () => (await runningTasks(serviceId)).length === 3, 60_000);
    const before = await engineGet<EngineService>(labDockerHost(), `/services/${serviceId}`);
    const tasksBefore = (await runningTasks(serviceId)).map((t) => t.ID);
    const run = await probeWith('restart', frontend);
    const e = (JSON.parse(run.stdout) as { experiment: CliExperimentOutcome }).experiment;
    expect(e.ok, `${e.message}\n${run.stderr}`).toBe(true);
    expect(e.restored).toBeNull();
    const after = await engineGet<EngineService>(labDockerHost(), `/services/${serviceId}`);
    expect(after.Spec.TaskTemplate.ForceUpdate).toBe((before.Spec.TaskTemplate.ForceUpdate ?? 0) + 1);
    await until(
      'every web-sticky task to be replaced',
      async () => {
        const now = await runningTasks(serviceId);
        return now.length === 3 && now.every((t) => !tasksBefore.includes(t.ID));
      },
      60_000,
    );
    expect(e.measurement?.requestsAfter).toBeGreaterThan(0);
  }, 120_000);
});
