// The deploy stack's Docker API proxy (scripts/deploy/docker-api-proxy.cfg), run with the real HAProxy in front of
// the Swarm lab's engine: stickyscope reads the whole topology through it, and every write or secret-bearing
// endpoint is refused before it reaches the engine.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { Topology } from '@/lib/topology/types';

import { HAPROXY_BIN } from '../../scripts/lab/haproxy.mjs';
import { engineGet, freePort, labDockerHost, runStickyscope } from './lab-cli';

const configFile = fileURLToPath(new URL('../../scripts/deploy/docker-api-proxy.cfg', import.meta.url));

function request(port: number, method: string, apiPath: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, method, path: apiPath, timeout: 5000 }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('timeout', () => req.destroy(new Error(`${method} ${apiPath} timed out`)));
    req.on('error', reject);
    req.end(method === 'POST' ? '{}' : undefined);
  });
}

describe('the deploy stack’s GET-only Docker API proxy, in front of the real Swarm lab', () => {
  let dir: string;
  let proxy: ChildProcess;
  let port: number;

  beforeAll(async () => {
    const socketPath = labDockerHost().replace(/^unix:\/\//, '');
    port = await freePort();
    dir = mkdtempSync(path.join(os.tmpdir(), 'stickyscope-docker-proxy-'));
    // The stack's file with only the two deployment facts changed: where it listens and where the socket is.
    const config = readFileSync(configFile, 'utf8')
      .replace(/^(\s*)bind :2375$/m, `$1bind 127.0.0.1:${port}`)
      .replace(/^(\s*server engine) \/var\/run\/docker\.sock$/m, `$1 ${socketPath}`);
    expect(config).toContain(`bind 127.0.0.1:${port}`);
    expect(config).toContain(socketPath);
    const file = path.join(dir, 'haproxy.cfg');
    writeFileSync(file, config);
    proxy = spawn(HAPROXY_BIN, ['-db', '-f', file], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    proxy.stderr?.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const deadline = Date.now() + 10_000;
    for (;;) {
      if (proxy.exitCode !== null) throw new Error(`haproxy exited: ${stderr}`);
      const ready = await request(port, 'GET', '/_ping').then((r) => r.status === 200, () => false);
      if (ready) break;
      if (Date.now() > deadline) throw new Error(`the proxy did not answer within 10 s: ${stderr}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  });

  afterAll(() => {
    proxy?.kill('SIGTERM');
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('lets stickyscope read the same topology as straight from the socket', async () => {
    const [viaProxy, direct] = await Promise.all([
      runStickyscope(['topology', '--json'], `tcp://127.0.0.1:${port}`),
      runStickyscope(['topology', '--json'], labDockerHost()),
    ]);
    expect(viaProxy.stderr).toBe('');
    expect(viaProxy.code).toBe(0);
    const names = (run: typeof viaProxy) => (JSON.parse(run.stdout) as Topology).services.map((s) => `${s.name}:${s.tasks.length}`).sort();
    expect((JSON.parse(viaProxy.stdout) as Topology).sources.docker.status).toBe('ok');
    expect(names(viaProxy)).toEqual(names(direct));
    expect(names(viaProxy).length).toBeGreaterThan(0);
  });

  it('answers the read endpoints, versioned or not', async () => {
    for (const apiPath of ['/version', '/v1.41/info', '/v1.41/nodes', '/v1.41/services?status=true', '/v1.41/tasks', '/networks']) {
      expect((await request(port, 'GET', apiPath)).status, apiPath).toBe(200);
    }
  });

  it('refuses writes and every endpoint stickyscope does not read, before the engine sees them', async () => {
    const services = await engineGet<{ ID: string; Spec: { Name: string } }[]>(labDockerHost(), '/services');
    const first = services[0];
    if (!first) throw new Error('the lab has no services');
    const refused: [string, string][] = [
      ['GET', '/v1.41/swarm'],
      ['GET', '/v1.41/containers/json'],
      ['GET', '/v1.41/secrets'],
      ['GET', '/v1.41/configs'],
      ['GET', `/v1.41/services/${first.ID}`],
      ['GET', `/v1.41/services/${first.ID}/logs?stdout=1`],
      ['POST', '/v1.41/services/create'],
      ['POST', `/v1.41/services/${first.ID}/update?version=1`],
      ['DELETE', `/v1.41/services/${first.ID}`],
      ['POST', '/v1.41/containers/create'],
      ['POST', '/v1.41/swarm/leave?force=1'],
    ];
    for (const [method, apiPath] of refused) expect((await request(port, method, apiPath)).status, `${method} ${apiPath}`).toBe(403);
    // Still there: the DELETE and the updates never reached the engine.
    const after = await engineGet<{ ID: string }[]>(labDockerHost(), '/services');
    expect(after.map((s) => s.ID).sort()).toEqual(services.map((s) => s.ID).sort());
  });
});
