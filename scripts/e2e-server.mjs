#!/usr/bin/env node
// The app as the end-to-end tests see it: against the real Swarm lab, with a Traefik API URL that refuses
// connections (so the page must render Swarm state and explain the Traefik failure inline), plus the real HAProxy
// lab (scripts/lab/haproxy.mjs) for probe runs through a balancer. The HAProxy frontend URLs, the Swarm lab's
// DOCKER_HOST and its host-network services are written as JSON to STICKYSCOPE_E2E_LAB_FILE (set by
// playwright.config.ts), which the specs read (e2e/lab-info.ts).
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startHaproxyLab } from './lab/haproxy.mjs';
import { describeLabService, labServices, startSwarmLab } from './lab/swarm.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));

async function closedPort() {
  const server = net.createServer();
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  await new Promise((resolve) => server.close(resolve));
  return port;
}

const labFile = process.env.STICKYSCOPE_E2E_LAB_FILE;
if (!labFile) throw new Error('STICKYSCOPE_E2E_LAB_FILE is not set (playwright.config.ts sets it)');

// A folder of its own, so a second run or the bench (which use other folders) is never stopped by this one.
const haproxyDir = mkdtempSync(path.join(os.tmpdir(), 'stickyscope-e2e-haproxy-'));
const haproxy = await startHaproxyLab({ dir: haproxyDir });
// Removed on exit however the process ends: the Swarm lab's signal handler may exit before stop() below is done.
// The HAProxy lab's own signal and exit handlers kill its processes.
process.on('exit', () => {
  rmSync(haproxyDir, { recursive: true, force: true });
  rmSync(labFile, { force: true });
});
let lab = null;
let dockerHost = process.env.STICKYSCOPE_LAB_DOCKER_HOST;
if (!dockerHost) {
  try {
    lab = await startSwarmLab();
  } catch (error) {
    await haproxy.stop();
    throw error;
  }
  dockerHost = lab.dockerHost;
}

// A lab started by hand (STICKYSCOPE_LAB_DOCKER_HOST) runs the lab's own service definitions.
const hostServices = (lab?.services ?? labServices.map(describeLabService))
  .filter((s) => s.network === 'host')
  .map(({ name, hostnames, urls }) => ({ name, hostnames, urls }));
const labInfo = {
  haproxy: { urls: haproxy.urls, cookieName: haproxy.cookieName, replicas: haproxy.replicas.map((r) => r.name) },
  swarm: { dockerHost, services: hostServices },
};
mkdirSync(path.dirname(labFile), { recursive: true });
writeFileSync(labFile, `${JSON.stringify(labInfo, null, 2)}\n`);

const app = spawn(process.execPath, ['scripts/start.mjs'], {
  cwd: root,
  stdio: 'inherit',
  env: {
    ...process.env,
    DOCKER_HOST: dockerHost,
    TRAEFIK_API_URL: `http://127.0.0.1:${await closedPort()}`,
    STICKYSCOPE_REFRESH_MS: '2000',
    // The probe relay may reach the lab's directly published replicas (127.0.0.1:18101-18103, 18201-18202) and
    // the HAProxy lab's frontends (free loopback ports).
    STICKYSCOPE_ALLOWED_TARGETS: '127.0.0.1',
  },
});

let stopping = false;
async function stop(code) {
  if (stopping) return;
  stopping = true;
  app.kill('SIGTERM');
  await Promise.allSettled([lab?.stop(), haproxy.stop()]);
  process.exit(code);
}
process.on('SIGTERM', () => stop(0));
process.on('SIGINT', () => stop(0));
app.on('exit', (code) => stop(code ?? 0));
