// Dashboard processes the tests start (scripts/start.mjs, which builds first when needed), and waiting for them.
// Free of vitest, so Playwright specs start their dashboards with it too.
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { closedLoopbackPort } from '@/lib/test/loopback';
import { until } from './until';

// __dirname, not import.meta: Playwright loads this file as CommonJS.
const root = path.resolve(__dirname, '../..');

/** Resolves once `base` answers /api/health; rejects as soon as the process exits instead. */
export async function waitUntilHealthy(child: ChildProcess, base: string): Promise<void> {
  await until(
    `the dashboard at ${base} to answer /api/health`,
    async () => {
      if (child.exitCode !== null || child.signalCode !== null) throw new Error(`the dashboard at ${base} exited with ${child.exitCode ?? child.signalCode} before answering`);
      return fetch(`${base}/api/health`).then((r) => r.ok, () => false);
    },
    120_000,
    200,
  );
}

/**
 * This process's environment without any cluster, lab, database or experiment setting of the shell running the
 * tests, plus `settings`: what a dashboard or CLI process the tests start should see.
 */
export function isolatedEnv(settings: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const key of Object.keys(env)) if (/^(TRAEFIK_|STICKYSCOPE_|DOCKER_|DATABASE_URL$|HAPROXY_RUNTIME_API$)/.test(key)) delete env[key];
  return Object.assign(env, settings);
}

export type DashboardProcess = { base: string; process: ChildProcess };

/**
 * Starts a dashboard on a free loopback port in its own process group, with `env` and none of this process's
 * cluster, lab or database settings, and waits until it answers.
 */
export async function startDashboard(env: Record<string, string>): Promise<DashboardProcess> {
  const port = await closedLoopbackPort();
  const child = spawn(process.execPath, [path.join(root, 'scripts', 'start.mjs')], {
    cwd: root,
    detached: true,
    stdio: ['ignore', 'ignore', 'inherit'],
    env: isolatedEnv({ PORT: String(port), ...env }),
  });
  const base = `http://127.0.0.1:${port}`;
  await waitUntilHealthy(child, base);
  return { base, process: child };
}

/**
 * Ends the dashboard's whole process group and resolves once it exited. A server too busy to handle SIGTERM (an
 * event loop stuck in a request) gets SIGKILL after `graceMs`.
 */
export function stopDashboard(dashboard: DashboardProcess | undefined, graceMs = Infinity): Promise<void> {
  const child = dashboard?.process;
  if (!child?.pid || child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  const group = -child.pid;
  const gone = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  process.kill(group, 'SIGTERM');
  if (!Number.isFinite(graceMs)) return gone;
  const timer = setTimeout(() => {
    try {
      process.kill(group, 'SIGKILL');
    } catch {
      // The group is already gone.
    }
  }, graceMs);
  return gone.finally(() => clearTimeout(timer));
}
