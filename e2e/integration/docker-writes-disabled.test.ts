// With experiments off, stickyscope sends the Docker engine nothing but GET: a recording proxy sits between the built
// dashboard (and the CLI) and the real Swarm lab's engine, and sees every request they make while we drive the read
// paths, ask the experiments endpoint to act, and ask the CLI for an experiment.
import { spawn, type ChildProcess } from 'node:child_process';
import http from 'node:http';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';

import type { ExperimentsStatus } from '@/lib/experiments/types';
import type { Topology } from '@/lib/topology/types';

import { isolatedEnv } from './dashboard-health';
import { freePort, labDockerHost, runStickyscope } from './lab-cli';

const root = fileURLToPath(new URL('../..', import.meta.url));

type Seen = { method: string; path: string };

/** A plain HTTP proxy in front of the lab engine's socket that records each request's method and path. */
async function startRecordingProxy(socketPath: string): Promise<{ port: number; seen: Seen[]; close(): Promise<void> }> {
  const seen: Seen[] = [];
  const server = http.createServer((req, res) => {
    seen.push({ method: req.method ?? '', path: req.url ?? '' });
    const upstream = http.request({ socketPath, method: req.method, path: req.url, headers: req.headers }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    upstream.on('error', (error) => {
      res.writeHead(502);
      res.end(error.message);
    });
    req.pipe(upstream);
  });
  const port = await freePort();
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return {
    port,
    seen,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

async function fetchText(url: string, init?: RequestInit): Promise<{ status: number; text: string }> {
  const res = await fetch(url, { ...init, signal: AbortSignal.timeout(60_000) });
  return { status: res.status, text: await res.text() };
}

describe('with experiments off, nothing but GET reaches the Docker engine', () => {
  let proxy: Awaited<ReturnType<typeof startRecordingProxy>>;
  let app: ChildProcess;
  let base: string;
  let output = '';

  beforeAll(async () => {
    proxy = await startRecordingProxy(labDockerHost().replace(/^unix:\/\//, ''));
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    // Builds first when the sources changed (npm start does the same).
    app = spawn(process.execPath, ['scripts/start.mjs'], {
      cwd: root,
      env: isolatedEnv({ PORT: String(port), DOCKER_HOST: `tcp://127.0.0.1:${proxy.port}`, STICKYSCOPE_LAB: '0', STICKYSCOPE_ALLOWED_TARGETS: '127.0.0.1' }),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    app.stdout?.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
    app.stderr?.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
    const deadline = Date.now() + 540_000;
    for (;;) {
      if (app.exitCode !== null) throw new Error(`the dashboard exited:\n${output.slice(-3000)}`);
      const health = await fetchText(`${base}/api/health`).catch(() => null);
      if (health?.status === 200) break;
      if (Date.now() > deadline) throw new Error(`the dashboard did not answer within 9 minutes:\n${output.slice(-3000)}`);
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }, 600_000);

  afterAll(async () => {
    if (app && app.exitCode === null) {
      const exited = new Promise((resolve) => app.once('exit', resolve));
      app.kill('SIGTERM');
      await exited;
    }
    await proxy?.close();
  });

  it('drives the read paths, the refused experiments endpoint and a refused CLI experiment', async () => {
    const topology = JSON.parse((await fetchText(`${base}/api/topology`)).text) as Topology;
    expect(topology.sources.docker.status).toBe('ok');
    const sticky = topology.services.find((s) => s.name === 'web-sticky');
    if (!sticky) throw new Error('web-sticky is missing from the topology');
    const task = sticky.tasks.find((t) => t.state === 'running');
    if (!task) throw new Error('web-sticky has no running task');

    for (const page of ['/', '/probes', `/services/${sticky.id}`, '/api/findings', '/api/health']) {
      expect((await fetchText(`${base}${page}`)).status, page).toBe(200);
    }
    const status = JSON.parse((await fetchText(`${base}/api/experiments`)).text) as ExperimentsStatus;
    expect(status).toMatchObject({ enabled: false, allowedServices: [] });
    expect(status.message).toContain('STICKYSCOPE_EXPERIMENTS=1');

    const target = { action: 'kill-task', service: 'web-sticky', taskId: task.id, replica: task.hostname };
    const post = (body: unknown, contentType = 'application/json') =>
      fetchText(`${base}/api/experiments`, { method: 'POST', headers: { 'content-type': contentType }, body: JSON.stringify(body) });
    for (const attempt of [
      post({ step: 'preview', ...target }),
      post({ step: 'confirm', token: 'x'.repeat(32), ...target }),
      post({ step: 'preview', ...target, action: 'restart' }),
      post({ step: 'preview', ...target }, 'text/plain'),
    ]) {
      const answer = await attempt;
      expect(answer.status).toBe(403);
      expect(JSON.parse(answer.text)).toMatchObject({ error: { code: 'experiments-disabled', message: expect.stringContaining('STICKYSCOPE_EXPERIMENTS') } });
    }

    const dockerHost = `tcp://127.0.0.1:${proxy.port}`;
    const replica = inject('labServices').find((s) => s.name === 'web-sticky')?.urls[0];
    if (!replica) throw new Error('web-sticky has no host-network URL');
    const cliSettings: Record<string, string>[] = [{}, { STICKYSCOPE_EXPERIMENTS: '0', STICKYSCOPE_EXPERIMENT_SERVICES: 'web-sticky' }];
    for (const settings of cliSettings) {
      const cli = await runStickyscope(['probe', replica, '--requests', '5', '--experiment', 'kill-task', '--experiment-at', '2'], dockerHost, 30_000, settings);
      expect(cli.code, cli.stderr).toBe(2);
      expect(cli.stderr).toContain('STICKYSCOPE_EXPERIMENTS=1');
      expect(cli.stdout).toBe('');
    }
    for (const command of [['topology', '--json'], ['lint']]) {
      const cli = await runStickyscope(command, dockerHost);
      expect(cli.code, `${command.join(' ')}: ${cli.stderr}`).not.toBe(2);
    }

    // The dashboard and the CLI did reach the engine through the proxy, and only ever with GET.
    const seen = [...proxy.seen];
    expect(seen.some((s) => /\/services(\?|$)/.test(s.path))).toBe(true);
    expect(seen.some((s) => /\/tasks(\?|$)/.test(s.path))).toBe(true);
    expect(seen.filter((s) => s.method !== 'GET')).toEqual([]);

    // The proxy does see other methods: an engine-refused POST (an empty container create) shows up as one.
    const before = proxy.seen.length;
    const control = await fetchText(`http://127.0.0.1:${proxy.port}/v1.41/containers/create`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    expect(control.status).toBeGreaterThanOrEqual(400);
    expect(proxy.seen.slice(before)).toEqual([{ method: 'POST', path: '/v1.41/containers/create' }]);
  }, 180_000);
});
