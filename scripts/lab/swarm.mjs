// A real Docker Engine in Swarm mode for development and integration tests.
//
//   node scripts/lab/swarm.mjs up     start the lab (idempotent: cleans a leftover first), print its summary
//   node scripts/lab/swarm.mjs down   stop it and remove every trace (processes, mounts, bridge, lab dir)
//
// Plain Node ESM with no dependencies, so npm scripts, vitest global setup and Playwright can all import it.
// Facts behind the choices are in ../shared/LAB.md: no image pulls (we `docker import` a busybox rootfs),
// no routing mesh (replicas use host networking and one loopback port per task slot).

import { execFile, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, openSync, closeSync, readFileSync, writeFileSync, rmSync, chmodSync, copyFileSync, symlinkSync, readdirSync } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { rShinyInstalled, SHINY_APP_DIR } from './shiny.mjs';

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));

export const DEFAULT_LAB_DIR = path.join(repoRoot, '.lab', 'swarm');
export const LAB_IMAGE = 'stickyscope-lab/whoami:1';
/** Attachable overlay network, so some tasks carry real per-network IPs (reachable only from other containers). */
export const LAB_OVERLAY = 'stickyscope-lab';
/** A second overlay network, for tasks attached to two networks. */
export const LAB_OVERLAY_EXTRA = 'stickyscope-lab-extra';
/** Every lab service carries this label, so the lab never touches anything it did not create. */
export const LAB_LABEL = 'io.stickyscope.lab';

const BUSYBOX = '/usr/bin/busybox';
const START_TIMEOUT_MS = 30_000;
const TASKS_TIMEOUT_MS = 90_000;
const STOP_TIMEOUT_MS = 30_000;

const sticky = (svc) => ({
  'traefik.enable': 'true',
  [`traefik.http.routers.${svc}.rule`]: `Host(\`${svc}.lab.localhost\`)`,
  [`traefik.http.routers.${svc}.entrypoints`]: 'web',
  [`traefik.http.routers.${svc}.service`]: svc,
  [`traefik.http.services.${svc}.loadbalancer.sticky.cookie`]: 'true',
  [`traefik.http.services.${svc}.loadbalancer.sticky.cookie.name`]: 'srv_id',
  [`traefik.http.services.${svc}.loadbalancer.sticky.cookie.secure`]: 'true',
  [`traefik.http.services.${svc}.loadbalancer.sticky.cookie.httponly`]: 'true',
  [`traefik.http.services.${svc}.loadbalancer.sticky.cookie.samesite`]: 'lax',
  [`traefik.http.services.${svc}.loadbalancer.server.port`]: '80',
});

/**
 * A sticky overlay service configured the way stickyscope recommends: unique router, plain-http entrypoint with a
 * cookie that is not Secure, HttpOnly, SameSite=Lax, maxAge, Traefik health check and the network label. The
 * misconfigured services below start from this and change exactly one thing.
 */
const wellConfigured = (svc) => ({
  'traefik.enable': 'true',
  'traefik.swarm.network': LAB_OVERLAY,
  [`traefik.http.routers.${svc}.rule`]: `Host(\`${svc}.lab.localhost\`)`,
  [`traefik.http.routers.${svc}.entrypoints`]: 'web',
  [`traefik.http.routers.${svc}.service`]: svc,
  [`traefik.http.services.${svc}.loadbalancer.server.port`]: '80',
  [`traefik.http.services.${svc}.loadbalancer.sticky.cookie`]: 'true',
  [`traefik.http.services.${svc}.loadbalancer.sticky.cookie.name`]: 'srv_id',
  [`traefik.http.services.${svc}.loadbalancer.sticky.cookie.httponly`]: 'true',
  [`traefik.http.services.${svc}.loadbalancer.sticky.cookie.samesite`]: 'lax',
  [`traefik.http.services.${svc}.loadbalancer.sticky.cookie.maxage`]: '3600',
  [`traefik.http.services.${svc}.loadbalancer.healthcheck.path`]: '/',
  [`traefik.http.services.${svc}.loadbalancer.healthcheck.interval`]: '10s',
});

/** `labels` without the keys matching `pattern`. */
const without = (labels, pattern) => Object.fromEntries(Object.entries(labels).filter(([key]) => !pattern.test(key)));

const noStickyCookie = /\.sticky\.cookie/;

/**
 * An overlay service whose tasks need no host port: Traefik-style server URLs come from their overlay IPs.
 * Two replicas where a rule needs several to matter, else one: each overlay task adds about a second to the start.
 */
const overlayService = (name, labels, extra = {}) => ({ name, replicas: 2, network: LAB_OVERLAY, basePort: null, labels, args: [], ...extra });

/**
 * One service per affinity misconfiguration, named after it and otherwise like `good-sticky`, plus `good-sticky`
 * itself (e2e/integration/findings.test.ts holds the rule each should raise).
 */
const affinityServices = [
  overlayService('good-sticky', wellConfigured('good-sticky')),
  overlayService('mis-no-sticky', without(wellConfigured('mis-no-sticky'), noStickyCookie)),
  overlayService(
    'mis-secure-cookie-over-http',
    { ...wellConfigured('mis-secure-cookie-over-http'), 'traefik.http.services.mis-secure-cookie-over-http.loadbalancer.sticky.cookie.secure': 'true' },
    { replicas: 1 },
  ),
  overlayService('mis-lbswarm', { ...wellConfigured('mis-lbswarm'), 'traefik.swarm.lbswarm': 'true' }),
  overlayService('mis-v1-labels', {
    ...without(wellConfigured('mis-v1-labels'), noStickyCookie),
    // Half migrated: v2 routing, but stickiness still written the v1 way.
    'traefik.backend.loadbalancer.stickiness': 'true',
    'traefik.backend.loadbalancer.stickiness.cookieName': 'srv_id',
  }),
  overlayService(
    'mis-sticky-without-cookie',
    { ...without(wellConfigured('mis-sticky-without-cookie'), noStickyCookie), 'traefik.http.services.mis-sticky-without-cookie.loadbalancer.sticky': 'true' },
    { replicas: 1 },
  ),
  overlayService('mis-split-routers', {
    ...wellConfigured('mis-split-routers'),
    // `/socket.io` goes to a second Traefik service on the same tasks, without the cookie.
    'traefik.http.routers.mis-split-routers-ws.rule': 'Host(`mis-split-routers.lab.localhost`) && PathPrefix(`/socket.io`)',
    'traefik.http.routers.mis-split-routers-ws.entrypoints': 'web',
    'traefik.http.routers.mis-split-routers-ws.service': 'mis-split-routers-ws',
    'traefik.http.services.mis-split-routers-ws.loadbalancer.server.port': '80',
    'traefik.http.services.mis-split-routers-ws.loadbalancer.healthcheck.path': '/',
  }),
  overlayService(
    'mis-mesh-bypass',
    // No cookie name: Traefik generates one from the service name.
    without(wellConfigured('mis-mesh-bypass'), /\.sticky\.cookie\.name$/),
    // The mesh never answers here (no IPVS); the published port is stored and reported as in production.
    { replicas: 1, args: ['--publish', 'mode=ingress,published=18581,target=80'] },
  ),
  overlayService('mis-ambiguous-network', without(wellConfigured('mis-ambiguous-network'), /^traefik\.swarm\.network$/), {
    replicas: 1,
    extraNetworks: [LAB_OVERLAY_EXTRA],
  }),
];

/**
 * The services the lab deploys. Data, so later work can add misconfigured services.
 * - network 'host': each task listens on 127.0.0.1:(basePort + slot) and is reachable from the host.
 * - network LAB_OVERLAY: each task listens on :80 inside the overlay; its IP is real but only
 *   reachable from other containers on that network (the host has no route into the overlay).
 * - extraNetworks: more overlay networks to attach the tasks to; the lab creates every overlay network named.
 * - args: extra `docker service create` arguments.
 * - runtime: what the tasks run, a key of `runtimes` (default whoami).
 */
export const labServices = [
  {
    name: 'web-sticky',
    replicas: 3,
    network: 'host',
    basePort: 18100,
    labels: sticky('web-sticky'),
    args: [],
  },
  {
    name: 'web-plain',
    replicas: 2,
    network: 'host',
    basePort: 18200,
    labels: {
      'traefik.enable': 'true',
      'traefik.http.routers.web-plain.rule': 'Host(`web-plain.lab.localhost`)',
      'traefik.http.routers.web-plain.entrypoints': 'web',
      'traefik.http.services.web-plain.loadbalancer.server.port': '80',
    },
    args: [],
  },
  {
    name: 'web-v1',
    replicas: 2,
    network: 'host',
    basePort: 18300,
    labels: {
      'traefik.enable': 'true',
      'traefik.port': '80',
      'traefik.frontend.rule': 'Host:web-v1.lab.localhost',
      'traefik.backend': 'web-v1',
      'traefik.backend.loadbalancer.stickiness': 'true',
      'traefik.backend.loadbalancer.stickiness.cookieName': 'srv_id',
    },
    args: [],
  },
  {
    name: 'web-lbswarm',
    replicas: 2,
    network: 'host',
    basePort: 18400,
    labels: { ...sticky('web-lbswarm'), 'traefik.docker.lbswarm': 'true' },
    args: [],
  },
  {
    name: 'web-dnsrr',
    replicas: 2,
    network: LAB_OVERLAY,
    basePort: null,
    labels: sticky('web-dnsrr'),
    args: ['--endpoint-mode', 'dnsrr'],
  },
  {
    name: 'web-overlay',
    replicas: 2,
    network: LAB_OVERLAY,
    basePort: null,
    labels: sticky('web-overlay'),
    // Ingress publishing is stored and reported like in production, though the mesh never answers here.
    args: ['--publish', 'mode=ingress,published=18580,target=80'],
  },
  ...affinityServices,
  {
    // The Shiny lab's app (scripts/lab/shiny/app.R) as Swarm tasks, labelled the way a Shiny user sets up Traefik.
    name: 'shiny',
    replicas: 2,
    network: 'host',
    basePort: 18500,
    runtime: 'shiny',
    labels: without(sticky('shiny'), /\.sticky\.cookie\.secure$/),
    args: [],
  },
];

// ---------- small helpers ----------

function log(message) {
  if (process.env.STICKYSCOPE_LAB_QUIET !== '1') process.stderr.write(`[swarm-lab] ${message}\n`);
}

function socketPathOf(dir) {
  return path.join(dir, 'docker.sock');
}

/** Linux bridge name for the lab's docker_gwbridge: unique per lab dir, at most 15 characters. */
function gwBridgeName(dir) {
  return `ssl${createHash('sha1').update(path.resolve(dir)).digest('hex').slice(0, 10)}`;
}

/** cgroup parent for the lab's containers, so a crashed lab's container processes can still be found. */
function cgroupName(dir) {
  return `stickyscope-lab-${createHash('sha1').update(path.resolve(dir)).digest('hex').slice(0, 10)}`;
}

/** Every directory of the lab's cgroup subtree in every mounted hierarchy (v1 controllers or v2), deepest first. */
function labCgroupDirs(dir) {
  const name = cgroupName(dir);
  const roots = ['/sys/fs/cgroup', ...safeList('/sys/fs/cgroup').map((c) => path.join('/sys/fs/cgroup', c))];
  const found = [];
  const walk = (at) => {
    found.push(at);
    for (const entry of safeList(at)) {
      const sub = path.join(at, entry);
      if (existsSync(path.join(sub, 'cgroup.procs'))) walk(sub);
    }
  };
  for (const root of roots) if (existsSync(path.join(root, name, 'cgroup.procs'))) walk(path.join(root, name));
  return found.sort((a, b) => b.length - a.length);
}

function safeList(at) {
  try {
    return readdirSync(at, { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => e.name);
  } catch {
    return [];
  }
}

function cgroupProcs(dirs) {
  const pids = new Set();
  for (const at of dirs) {
    try {
      for (const line of readFileSync(path.join(at, 'cgroup.procs'), 'utf8').split('\n')) if (line) pids.add(Number(line));
    } catch {
      // Removed meanwhile.
    }
  }
  return [...pids];
}

/** Kill what is left in the lab's cgroups (containers of a dockerd that died) and remove the cgroups. */
async function clearLabCgroups(dir) {
  const dirs = labCgroupDirs(dir);
  if (dirs.length === 0) return;
  for (const pid of cgroupProcs(dirs)) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // Already gone.
    }
  }
  await waitFor('lab cgroups to empty', () => cgroupProcs(labCgroupDirs(dir)).length === 0, { timeoutMs: 10_000 });
  for (const at of labCgroupDirs(dir)) {
    try {
      rmSync(at, { recursive: false });
    } catch {
      await run('rmdir', [at]).catch(() => undefined);
    }
  }
}

function tail(file, lines = 30) {
  try {
    return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}

/** Poll `check` until it returns a truthy value or the deadline passes; never a blind sleep. */
async function waitFor(what, check, { timeoutMs, intervalMs = 150, onTimeout }) {
  const deadline = Date.now() + timeoutMs;
  let lastError;
  for (;;) {
    try {
      const result = await check();
      if (result) return result;
    } catch (error) {
      if (error?.fatal) throw error;
      lastError = error;
    }
    if (Date.now() > deadline) {
      const detail = onTimeout ? await onTimeout(lastError) : lastError ? String(lastError.message ?? lastError) : '';
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${detail ? `:\n${detail}` : ''}`);
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

function run(cmd, args, { env, input, timeoutMs = 60_000 } = {}) {
  return new Promise((resolve, reject) => {
    const child = execFile(cmd, args, { env, timeout: timeoutMs, maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
      if (error) {
        error.message = `${cmd} ${args.join(' ')} failed: ${stderr.trim() || error.message}`;
        reject(error);
      } else resolve(stdout);
    });
    if (input) input(child.stdin);
    else child.stdin?.end();
  });
}

/** GET on the lab engine's own socket. Used for readiness checks only. */
function engineGet(socketPath, apiPath, timeoutMs = 3000) {
  return new Promise((resolve, reject) => {
    const req = http.get({ socketPath, path: apiPath, timeout: timeoutMs }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk) => (body += chunk));
      res.on('end', () => {
        if ((res.statusCode ?? 0) >= 400) return reject(new Error(`GET ${apiPath}: ${res.statusCode} ${body.trim()}`));
        try {
          resolve(apiPath === '/_ping' ? body : JSON.parse(body));
        } catch (error) {
          reject(error);
        }
      });
    });
    req.on('timeout', () => req.destroy(new Error(`GET ${apiPath} timed out`)));
    req.on('error', reject);
  });
}

function httpText(url, timeoutMs = 2000) {
  return new Promise((resolve, reject) => {
    const req = http.get(url, { timeout: timeoutMs }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('timeout', () => req.destroy(new Error(`GET ${url} timed out`)));
    req.on('error', reject);
  });
}

function isAlive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return error.code === 'EPERM';
  }
}

function readPid(file) {
  try {
    const pid = Number.parseInt(readFileSync(file, 'utf8').trim(), 10);
    return Number.isInteger(pid) && pid > 0 ? pid : null;
  } catch {
    return null;
  }
}

/** Processes whose command line mentions the lab dir: its dockerd, containerd and shims. Nothing else. */
function labProcesses(dir) {
  const needle = path.resolve(dir);
  const pids = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    try {
      const cmdline = readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0').join(' ');
      if (cmdline.includes(`${needle}/`) || cmdline.endsWith(needle)) pids.push(Number(entry));
    } catch {
      // The process ended while we looked.
    }
  }
  return pids;
}

function mountsUnder(dir) {
  const prefix = `${path.resolve(dir)}/`;
  let text = '';
  try {
    text = readFileSync('/proc/self/mountinfo', 'utf8');
  } catch {
    return [];
  }
  const points = text
    .split('\n')
    .map((line) => line.split(' ')[4])
    .filter((point) => point !== undefined)
    // mountinfo escapes spaces and such as octal; our lab paths have none, but decode anyway.
    .map((point) => point.replace(/\\([0-7]{3})/g, (_, oct) => String.fromCharCode(Number.parseInt(oct, 8))))
    .filter((point) => point.startsWith(prefix) || point === path.resolve(dir));
  // Deepest first, each once.
  return [...new Set(points)].sort((a, b) => b.length - a.length);
}

async function unmountAll(dir) {
  for (let round = 0; round < 5; round++) {
    const points = mountsUnder(dir);
    if (points.length === 0) return;
    for (const point of points) {
      await run('umount', [point]).catch(() => run('umount', ['-l', point]).catch(() => undefined));
    }
  }
  const left = mountsUnder(dir);
  if (left.length > 0) throw new Error(`could not unmount: ${left.join(', ')}`);
}

function cliEnv(dir, apiVersion) {
  return {
    PATH: process.env.PATH ?? '/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin',
    HOME: process.env.HOME ?? '/root',
    DOCKER_HOST: `unix://${socketPathOf(dir)}`,
    // The v28 CLI refuses an API 1.41 engine unless told which version to speak.
    DOCKER_API_VERSION: apiVersion,
    DOCKER_CONFIG: path.join(dir, 'cli'),
  };
}

async function docker(dir, apiVersion, args, options = {}) {
  return run('docker', args, { ...options, env: cliEnv(dir, apiVersion) });
}

// ---------- dockerd ----------

/**
 * Start a private dockerd in `dir` (own socket, data root, exec root, pidfile; vfs storage; no iptables,
 * no docker0, no ip_forward change) and wait until its API answers.
 */
export async function startDockerd({ dir, name = 'dockerd' }) {
  if (typeof process.getuid === 'function' && process.getuid() !== 0) {
    throw new Error('the lab runs dockerd, which needs root');
  }
  const socketPath = socketPathOf(dir);
  // Unix socket paths are limited to 107 bytes; containerd's socket sits deeper than ours.
  if (Buffer.byteLength(path.join(dir, 'exec/containerd/containerd.sock.ttrpc')) > 107) {
    throw new Error(`lab dir ${dir} is too long for unix socket paths; pass a shorter dir`);
  }
  mkdirSync(dir, { recursive: true });
  mkdirSync(path.join(dir, 'cli'), { recursive: true });
  const configFile = path.join(dir, 'daemon.json');
  // Our own (empty) config so /etc/docker/daemon.json on this machine cannot change the lab.
  writeFileSync(configFile, '{}\n');
  const logFile = path.join(dir, `${name}.log`);
  const logFd = openSync(logFile, 'a');
  const child = spawn(
    'dockerd',
    [
      '--data-root', path.join(dir, 'data'),
      '--exec-root', path.join(dir, 'exec'),
      '--host', `unix://${socketPath}`,
      '--pidfile', path.join(dir, 'dockerd.pid'),
      '--config-file', configFile,
      '--storage-driver', 'vfs',
      // Keep the host's firewall, forwarding and bridges as they are.
      '--iptables=false',
      '--ip-forward=false',
      '--ip-masq=false',
      '--bridge', 'none',
      '--cgroup-parent', `/${cgroupName(dir)}`,
    ],
    {
      detached: true,
      stdio: ['ignore', logFd, logFd],
      // Without this every Swarm task first tries to pull its image from Docker Hub, which only fails (and slowly)
      // here, and is traffic the lab must not send. Moby's own integration daemons set it for the same reason.
      env: { ...process.env, DOCKER_SERVICE_PREFER_OFFLINE_IMAGE: '1' },
    },
  );
  closeSync(logFd);
  child.unref();
  let exited = null;
  child.on('exit', (code, signal) => (exited = { code, signal }));

  await waitFor(`dockerd to answer on ${socketPath}`, async () => {
    if (exited) {
      const how = exited.code ?? exited.signal;
      throw Object.assign(new Error(`dockerd exited (${how}) before answering\n--- tail of ${logFile} ---\n${tail(logFile)}`), { fatal: true });
    }
    return existsSync(socketPath) && (await engineGet(socketPath, '/_ping')) === 'OK';
  }, {
    timeoutMs: START_TIMEOUT_MS,
    onTimeout: (error) => `${error?.message ?? ''}\n--- tail of ${logFile} ---\n${tail(logFile)}`,
  });
  const version = await engineGet(socketPath, '/version');
  return { dockerHost: `unix://${socketPath}`, socketPath, apiVersion: String(version.ApiVersion), pid: child.pid };
}

/** Stop whatever lab lives in `dir` (even a half-started or crashed one) and delete `dir`. Idempotent. */
export async function stopLabDir(dir, { leaveSwarm = true } = {}) {
  const socketPath = socketPathOf(dir);
  const pidFile = path.join(dir, 'dockerd.pid');
  const pid = readPid(pidFile);
  const alive = pid !== null && isAlive(pid);

  if (alive && existsSync(socketPath)) {
    try {
      const version = await engineGet(socketPath, '/version');
      const apiVersion = String(version.ApiVersion);
      // Leaving the swarm removes every task container (about 3 s); `service rm` first only adds time.
      const info = await engineGet(socketPath, '/info');
      if (leaveSwarm && info?.Swarm?.LocalNodeState !== 'inactive') {
        await docker(dir, apiVersion, ['swarm', 'leave', '--force'], { timeoutMs: 20_000 });
      }
    } catch (error) {
      log(`graceful cleanup skipped: ${error.message}`);
    }
  }

  if (alive && pid !== null) {
    log(`stopping dockerd ${pid}`);
    process.kill(pid, 'SIGTERM');
    await waitFor('dockerd to exit', () => !isAlive(pid), { timeoutMs: STOP_TIMEOUT_MS }).catch(() => {
      log('dockerd did not exit on SIGTERM; killing it');
      if (isAlive(pid)) process.kill(pid, 'SIGKILL');
    });
  }
  // Containers, containerd and shims of a crashed run outlive their dockerd. Containers sit in the lab's
  // cgroup; containerd and the shims name the lab dir on their command line.
  await clearLabCgroups(dir);
  for (const stray of labProcesses(dir)) {
    try {
      process.kill(stray, 'SIGKILL');
    } catch {
      // Already gone.
    }
  }
  await waitFor('lab processes to end', () => labProcesses(dir).length === 0, { timeoutMs: 10_000 });

  await unmountAll(dir);
  const bridge = gwBridgeName(dir);
  if (existsSync(`/sys/class/net/${bridge}`)) await run('ip', ['link', 'delete', bridge]).catch((e) => log(e.message));
  rmSync(dir, { recursive: true, force: true });
}

// ---------- image ----------

const whoamiCgi = `#!/bin/sh
printf 'Content-Type: text/plain\\r\\n\\r\\n'
echo "Hostname: $(hostname)"
echo "Slot: $SLOT"
echo "Service: $SERVICE"
echo "Task: $TASK_ID"
echo "Node: $NODE_ID"
echo "Request: $REQUEST_METHOD $REQUEST_URI"
echo "Cookie: $HTTP_COOKIE"
`;

async function buildImage(dir, apiVersion) {
  const rootfs = path.join(dir, 'rootfs');
  rmSync(rootfs, { recursive: true, force: true });
  for (const sub of ['bin', 'tmp', 'www/cgi-bin', 'etc']) mkdirSync(path.join(rootfs, sub), { recursive: true });
  copyFileSync(BUSYBOX, path.join(rootfs, 'bin/busybox'));
  chmodSync(path.join(rootfs, 'bin/busybox'), 0o755);
  for (const applet of ['sh', 'httpd', 'hostname', 'cat', 'ls', 'wget', 'sleep']) symlinkSync('busybox', path.join(rootfs, 'bin', applet));
  writeFileSync(path.join(rootfs, 'www/cgi-bin/whoami'), whoamiCgi, { mode: 0o755 });
  // busybox httpd runs cgi-bin/index.cgi for "/" when there is no index.html.
  writeFileSync(path.join(rootfs, 'www/cgi-bin/index.cgi'), whoamiCgi, { mode: 0o755 });
  writeFileSync(path.join(rootfs, 'etc/passwd'), 'root:x:0:0:root:/:/bin/sh\n');

  await docker(dir, apiVersion, ['import', '--change', 'CMD ["/bin/sh"]', '-', LAB_IMAGE], {
    input: (stdin) => {
      const tar = spawn('tar', ['-C', rootfs, '-c', '.'], { stdio: ['ignore', 'pipe', 'inherit'] });
      tar.stdout.pipe(stdin);
    },
  });
}

// ---------- services ----------

/**
 * Debian's R lives under /usr, its package library too. /bin and /lib are merged-/usr links the R front end calls
 * through (/bin/sed); /etc/R is R's configuration, /etc/alternatives holds the BLAS and LAPACK links, and
 * /var/lib/dpkg is read by Debian's jquerylib (`dpkg -s libjs-jquery`) when a DT table renders.
 */
const HOST_R_PATHS = ['/usr', '/bin', '/lib', '/lib64', '/etc/R', '/etc/alternatives', '/var/lib/dpkg'];
const readOnlyMount = (source, target = source) => ['--mount', `type=bind,source=${source},target=${target},readonly`];

/**
 * What a service's tasks run, each listening on `host:port` (a shell expression of SLOT) and answering `GET /` with
 * a body that contains `answer(slot)` once ready.
 * - whoami: busybox httpd and the whoami CGI from the lab image.
 * - shiny: the host's R serving the Shiny lab's app, with no R image: the host's R is bind-mounted read-only into
 *   the busybox image (its /bin replaced by the host's). serve.R listens on 127.0.0.1, so host network only.
 */
const runtimes = {
  whoami: {
    args: () => [],
    command: (host, port) => `exec httpd -f -p ${host}:${port} -h /www`,
    answer: (slot) => `Hostname: app-${slot}\n`,
    available: () => true,
  },
  shiny: {
    args: () => [
      ...HOST_R_PATHS.filter((p) => existsSync(p)).flatMap((p) => readOnlyMount(p)),
      ...readOnlyMount(path.resolve(SHINY_APP_DIR), '/app'),
      // No /etc/localtime in the image: without TZ, R warns on every start.
      '--env', 'TZ=UTC',
    ],
    command: (_host, port) => `exec /usr/bin/Rscript /app/serve.R ${port} app-$SLOT`,
    answer: (slot) => `<meta name="shiny-lab-process" content="app-${slot}"/>`,
    available: rShinyInstalled,
  },
};
const runtimeOf = (def) => runtimes[def.runtime ?? 'whoami'];

function createArgs(def) {
  const [host, port] = def.network === 'host' ? ['127.0.0.1', `$((${def.basePort}+SLOT))`] : ['0.0.0.0', '80'];
  const runtime = runtimeOf(def);
  const labels = Object.entries({ ...def.labels, [LAB_LABEL]: 'true' }).flatMap(([k, v]) => ['--label', `${k}=${v}`]);
  return [
    'service', 'create', '--detach', '--quiet',
    '--name', def.name,
    '--replicas', String(def.replicas),
    '--network', def.network,
    ...(def.extraNetworks ?? []).flatMap((network) => ['--network', network]),
    '--hostname', def.hostname ?? 'app-{{.Task.Slot}}',
    '--env', 'SLOT={{.Task.Slot}}',
    '--env', 'SERVICE={{.Service.Name}}',
    '--env', 'TASK_ID={{.Task.ID}}',
    '--env', 'NODE_ID={{.Node.ID}}',
    // Only managers hold the image; a worker joined for a test must never get tasks.
    '--constraint', 'node.role==manager',
    // tini as PID 1 forwards SIGTERM to httpd, so tasks stop at once instead of after the grace period.
    '--init',
    '--stop-grace-period', '2s',
    '--restart-condition', 'any',
    '--restart-delay', '1s',
    '--no-resolve-image',
    ...labels,
    ...runtime.args(),
    ...def.args,
    LAB_IMAGE,
    'sh', '-c', runtime.command(host, port),
  ];
}

/** Per-service summary of what is reachable from the host. */
export function describeLabService(def) {
  const slots = Array.from({ length: def.replicas }, (_, i) => i + 1);
  return {
    name: def.name,
    replicas: def.replicas,
    network: def.network,
    networks: [def.network, ...(def.extraNetworks ?? [])],
    labels: def.labels,
    endpointMode: def.args.includes('dnsrr') ? 'dnsrr' : 'vip',
    hostnames: slots.map((slot) => `app-${slot}`),
    urls: def.network === 'host' ? slots.map((slot) => `http://127.0.0.1:${def.basePort + slot}/`) : [],
  };
}

async function waitForTasks(socketPath, defs) {
  const wanted = new Map(defs.map((def) => [def.name, def.replicas]));
  const summarize = async () => {
    const [services, tasks] = await Promise.all([engineGet(socketPath, '/services'), engineGet(socketPath, '/tasks')]);
    const nameById = new Map(services.map((s) => [s.ID, s.Spec.Name]));
    const byName = new Map();
    for (const task of tasks) {
      const name = nameById.get(task.ServiceID);
      if (!name || task.DesiredState !== 'running') continue;
      const list = byName.get(name) ?? [];
      list.push(task);
      byName.set(name, list);
    }
    return byName;
  };
  await waitFor('every lab task to run', async () => {
    const byName = await summarize();
    return [...wanted].every(([name, replicas]) => {
      const running = (byName.get(name) ?? []).filter((t) => t.Status?.State === 'running');
      return running.length === replicas && new Set(running.map((t) => t.Slot)).size === replicas;
    });
  }, {
    timeoutMs: TASKS_TIMEOUT_MS,
    intervalMs: 300,
    onTimeout: async () => {
      const byName = await summarize().catch(() => new Map());
      return [...wanted]
        .map(([name]) => `${name}: ${(byName.get(name) ?? []).map((t) => `${t.Slot}=${t.Status?.State}${t.Status?.Err ? ` (${t.Status.Err})` : ''}`).join(', ') || 'no tasks'}`)
        .join('\n');
    },
  });
  // Running is not yet listening: wait until each host-network replica answers with its own name.
  const urls = defs.flatMap((def) => describeLabService(def).urls.map((url, i) => ({ url, answer: runtimeOf(def).answer(i + 1) })));
  await waitFor('every host-network replica to answer', async () => {
    const answers = await Promise.all(urls.map(({ url }) => httpText(url).catch(() => ({ status: 0, body: '' }))));
    return answers.every((a, i) => a.status === 200 && a.body.includes(urls[i]?.answer));
  }, { timeoutMs: TASKS_TIMEOUT_MS, intervalMs: 200 });
}

// ---------- the lab ----------

/** `defs` without the services whose runtime this machine lacks (R for the Shiny service), each skip logged. */
function runnableServices(defs) {
  const available = new Map();
  return defs.filter((def) => {
    const kind = def.runtime ?? 'whoami';
    if (!available.has(kind)) available.set(kind, runtimeOf(def).available());
    if (!available.get(kind)) log(`skipping ${def.name}: its ${kind} runtime is not installed (node scripts/system-deps.mjs installs it)`);
    return available.get(kind);
  });
}

const LOCK_WAIT_MS = 15 * 60_000;

/**
 * One lab at a time on this machine, across processes: test runs that want the lab queue behind the one using it
 * (its ports are fixed). A lock whose holder died is taken over.
 */
async function acquireLabLock(dir) {
  // The lab's ports are fixed, so the lock is machine-wide, not per dir.
  const lockFile = path.join(os.tmpdir(), 'stickyscope-swarm-lab.lock');
  let announced = false;
  const release = () => {
    if (readPid(lockFile) === process.pid) rmSync(lockFile, { force: true });
  };
  const announce = (who) => {
    if (announced) return;
    log(`waiting for the lab in ${dir}, in use by ${who}`);
    announced = true;
  };
  await waitFor('the lab to be free', () => {
    try {
      writeFileSync(lockFile, String(process.pid), { flag: 'wx' });
    } catch (error) {
      if (error.code !== 'EEXIST') throw error;
      const holder = readPid(lockFile);
      if (holder === null || !isAlive(holder)) rmSync(lockFile, { force: true });
      else announce(`pid ${holder}`);
      return false;
    }
    // A lab started by hand (`up`) holds no lock but owns the ports: wait until it is taken down.
    const dockerd = readPid(path.join(dir, 'dockerd.pid'));
    if (dockerd !== null && isAlive(dockerd)) {
      release();
      announce(`a lab started by hand (dockerd pid ${dockerd}; \`node scripts/lab/swarm.mjs down\` stops it)`);
      return false;
    }
    return true;
  }, { timeoutMs: LOCK_WAIT_MS, intervalMs: 500 });
  return release;
}

/**
 * Start the lab: a private dockerd in Swarm mode with the lab image and services, all tasks running.
 * Cleans a leftover lab in the same dir first (a crashed run); refuses to stop one that is alive.
 */
export async function startSwarmLab({ dir = DEFAULT_LAB_DIR, services: wanted = labServices } = {}) {
  dir = path.resolve(dir);
  const services = runnableServices(wanted);
  const releaseLock = await acquireLabLock(dir);
  await stopLabDir(dir);

  // Every caller (signal handler, test teardown, owner) waits for the same, complete shutdown.
  let stopping;
  const stop = () => {
    stopping ??= (async () => {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      try {
        await stopLabDir(dir);
      } finally {
        releaseLock();
      }
    })();
    return stopping;
  };
  const onSignal = (signal) => {
    log(`${signal}: stopping the lab`);
    stop().finally(() => process.exit(signal === 'SIGINT' ? 130 : 143));
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);

  const started = Date.now();
  try {
    const engine = await startDockerd({ dir });
    const { apiVersion, socketPath } = engine;
    const cli = (args, options) => docker(dir, apiVersion, args, options);
    log(`dockerd up in ${Date.now() - started} ms`);

    // A docker_gwbridge of our own before `swarm init`, so the lab never reuses or leaves a host bridge.
    await cli([
      'network', 'create', '--driver', 'bridge',
      '--opt', `com.docker.network.bridge.name=${gwBridgeName(dir)}`,
      '--opt', 'com.docker.network.bridge.enable_icc=false',
      '--opt', 'com.docker.network.bridge.enable_ip_masquerade=false',
      'docker_gwbridge',
    ]);
    await cli(['swarm', 'init', '--advertise-addr', '127.0.0.1', '--listen-addr', '127.0.0.1:2377']);
    const overlays = [...new Set(services.flatMap((s) => [s.network, ...(s.extraNetworks ?? [])]))].filter((n) => n !== 'host');
    await Promise.all([
      buildImage(dir, apiVersion),
      ...overlays.map((network) => cli(['network', 'create', '--driver', 'overlay', '--attachable', '--label', `${LAB_LABEL}=true`, network])),
    ]);
    await Promise.all(services.map((def) => cli(createArgs(def))));
    await waitForTasks(socketPath, services);
    log(`lab ready in ${Date.now() - started} ms`);
    return { dir, dockerHost: engine.dockerHost, apiVersion, services: services.map(describeLabService), stop };
  } catch (error) {
    log(`start failed, cleaning up: ${error.message}`);
    await stop().catch((cleanupError) => log(`cleanup failed too: ${cleanupError.message}`));
    throw error;
  }
}

/**
 * A second, plain dockerd that is NOT in Swarm mode (for "not a swarm manager" checks).
 * Optionally join it to a lab swarm as a worker with `joinAsWorker`.
 */
export async function startPlainDockerd({ dir }) {
  dir = path.resolve(dir);
  await stopLabDir(dir);
  try {
    const engine = await startDockerd({ dir, name: 'dockerd' });
    const cli = (args, options) => docker(dir, engine.apiVersion, args, options);
    return {
      dockerHost: engine.dockerHost,
      /** Join the swarm managed by `manager` (a lab's dockerHost) as a worker; returns a function that leaves it again. */
      async joinAsWorker(manager) {
        const managerDir = path.dirname(manager.replace(/^unix:\/\//, ''));
        const token = (await docker(managerDir, engine.apiVersion, ['swarm', 'join-token', '--quiet', 'worker'])).trim();
        await cli([
          'network', 'create', '--driver', 'bridge',
          '--opt', `com.docker.network.bridge.name=${gwBridgeName(dir)}`,
          '--opt', 'com.docker.network.bridge.enable_icc=false',
          '--opt', 'com.docker.network.bridge.enable_ip_masquerade=false',
          'docker_gwbridge',
        ]);
        const info = await engineGet(engine.socketPath, '/info');
        await cli(['swarm', 'join', '--token', token, '--listen-addr', '127.0.0.1:2378', '--advertise-addr', '127.0.0.1:2378', '127.0.0.1:2377']);
        return async () => {
          await cli(['swarm', 'leave', '--force']);
          await docker(managerDir, engine.apiVersion, ['node', 'rm', '--force', info.Name]).catch(() => undefined);
        };
      },
      stop: () => stopLabDir(dir),
    };
  } catch (error) {
    await stopLabDir(dir).catch(() => undefined);
    throw error;
  }
}

// ---------- CLI ----------

const isMain = process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (isMain) {
  const [command, dirArg] = process.argv.slice(2);
  const dir = path.resolve(dirArg ?? DEFAULT_LAB_DIR);
  try {
    if (command === 'up') {
      const pid = readPid(path.join(dir, 'dockerd.pid'));
      if (pid !== null && isAlive(pid)) await stopLabDir(dir);
      const lab = await startSwarmLab({ dir });
      // The CLI leaves the lab running; `down` stops it.
      process.removeAllListeners('SIGINT');
      process.removeAllListeners('SIGTERM');
      process.stdout.write(`${JSON.stringify({ dockerHost: lab.dockerHost, apiVersion: lab.apiVersion, services: lab.services }, null, 2)}\n`);
      process.stdout.write(`\nexport DOCKER_HOST=${lab.dockerHost} DOCKER_API_VERSION=${lab.apiVersion}\n`);
    } else if (command === 'down') {
      await stopLabDir(dir);
      log(`stopped and removed ${dir}`);
    } else {
      process.stderr.write('usage: node scripts/lab/swarm.mjs up|down [dir]\n');
      process.exitCode = 2;
    }
  } catch (error) {
    process.stderr.write(`${error.message}\n`);
    process.exitCode = 1;
  }
}
