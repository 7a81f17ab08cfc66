#!/usr/bin/env node
// The app as the end-to-end tests see it: against the real Swarm lab, with a Traefik API URL that refuses
// connections (so the page must render Swarm state and explain the Traefik failure inline).
import { spawn } from 'node:child_process';
import net from 'node:net';
import { fileURLToPath } from 'node:url';
import { startSwarmLab } from './lab/swarm.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));

async function closedPort() {
  const server = net.createServer();
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  await new Promise((resolve) => server.close(resolve));
  return port;
}

let lab = null;
let dockerHost = process.env.STICKYSCOPE_LAB_DOCKER_HOST;
if (!dockerHost) {
  lab = await startSwarmLab();
  dockerHost = lab.dockerHost;
}

const app = spawn(process.execPath, ['scripts/start.mjs'], {
  cwd: root,
  stdio: 'inherit',
  env: {
    ...process.env,
    DOCKER_HOST: dockerHost,
    TRAEFIK_API_URL: `http://127.0.0.1:${await closedPort()}`,
    STICKYSCOPE_REFRESH_MS: '2000',
    // The probe relay may reach the lab's directly published replicas (127.0.0.1:18101-18103, 18201-18202).
    STICKYSCOPE_ALLOWED_TARGETS: '127.0.0.1',
  },
});

let stopping = false;
async function stop(code) {
  if (stopping) return;
  stopping = true;
  app.kill('SIGTERM');
  await lab?.stop();
  process.exit(code);
}
process.on('SIGTERM', () => stop(0));
process.on('SIGINT', () => stop(0));
app.on('exit', (code) => stop(code ?? 0));
