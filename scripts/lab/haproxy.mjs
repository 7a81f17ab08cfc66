#!/usr/bin/env node
// A real HAProxy lab on loopback: three replica processes (scripts/lab/replica.mjs, or any command that serves
// HTTP on the port it is given and answers `GET /healthz`, or the `readyPath` given, with 200) behind Debian's haproxy.
//
//   node scripts/lab/haproxy.mjs up [REPLICA]  start it in .lab/haproxy and print the URLs (it keeps running);
//                                             REPLICA: whoami (default), socketio or session (see *-replica.mjs)
//   node scripts/lab/haproxy.mjs down          stop whatever `up` started
//
// Frontends, one loopback port each:
//   sticky       cookie SRV insert indirect nocache httponly       (real cookie affinity)
//   roundRobin   no cookie lines                                   (plain round robin)
//   secure       the same cookie with `secure`, served over http   (browsers drop it off loopback)
//   stickyNoUpgrade, roundRobinNoUpgrade
//                the sticky and round-robin backends behind a frontend that refuses WebSocket upgrades (HTTP 400),
//                as a proxy without WebSocket support does: browsers fall back to long-lived HTTP requests
// plus a Runtime API socket (`stats socket PATH level admin`).
//
// Plain Node ESM with no dependencies, so vitest, Playwright and the bench can import it. Ports are picked free
// at start, so this never clashes with the Swarm lab's fixed 181xx/18580 block. Readiness is polled, with a bound.
// Every process is recorded in DIR/lab.json, so a lab left behind by a killed parent is cleaned up on the next start.
import { spawn, execFile } from 'node:child_process';
import { existsSync, mkdirSync, openSync, closeSync, readFileSync, writeFileSync, rmSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { cleanupOnExit } from './on-exit.mjs';

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
/** Runs one of the lab's Node replica scripts (replica.mjs, socketio-replica.mjs, session-replica.mjs). */
export function nodeReplica(script, extraArgs = []) {
  const file = fileURLToPath(new URL(`./${script}`, import.meta.url));
  return ({ name, port }) => [process.execPath, file, '--name', name, '--port', String(port), ...extraArgs];
}

export const DEFAULT_HAPROXY_LAB_DIR = path.join(repoRoot, '.lab', 'haproxy');
export const HAPROXY_BIN = process.env.HAPROXY_BIN || '/usr/sbin/haproxy';
/** The balancer cookie every cookie-insert backend uses. */
export const LAB_COOKIE = 'SRV';

const READY_TIMEOUT_MS = 15_000;
const STOP_TIMEOUT_MS = 5_000;

/** Reserves `count` distinct free loopback ports by holding them all open at once, then releases them. */
async function freePorts(count) {
  const servers = [];
  try {
    for (let i = 0; i < count; i++) {
      const s = net.createServer();
      await new Promise((resolve, reject) => {
        s.once('error', reject);
        s.listen(0, '127.0.0.1', resolve);
      });
      servers.push(s);
    }
    return servers.map((s) => s.address().port);
  } finally {
    await Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve))));
  }
}

function haproxyConfig({ dir, replicas, frontends }) {
  const servers = (withCookies) =>
    replicas.map((r) => `  server ${r.name} 127.0.0.1:${r.port} check inter 1s${withCookies ? ` cookie ${r.cookie}` : ''}`).join('\n');
  return `# Written by scripts/lab/haproxy.mjs; regenerated on every start.
global
  pidfile ${path.join(dir, 'haproxy.pid')}
  stats socket ${path.join(dir, 'haproxy.sock')} level admin mode 600
  maxconn 4096

defaults
  mode http
  option http-keep-alive
  timeout connect 2s
  timeout client 30s
  timeout server 30s
  timeout http-keep-alive 30s
  # An upgraded connection (a WebSocket) stays open while idle, as a browser tab does.
  timeout tunnel 1h

frontend sticky
  bind 127.0.0.1:${frontends.sticky}
  default_backend be_sticky

frontend round_robin
  bind 127.0.0.1:${frontends.roundRobin}
  default_backend be_round_robin

frontend secure
  bind 127.0.0.1:${frontends.secure}
  default_backend be_secure

frontend sticky_no_upgrade
  bind 127.0.0.1:${frontends.stickyNoUpgrade}
  http-request deny deny_status 400 if { hdr(upgrade) -i websocket }
  default_backend be_sticky

frontend round_robin_no_upgrade
  bind 127.0.0.1:${frontends.roundRobinNoUpgrade}
  http-request deny deny_status 400 if { hdr(upgrade) -i websocket }
  default_backend be_round_robin

backend be_sticky
  balance roundrobin
  cookie ${LAB_COOKIE} insert indirect nocache httponly
${servers(true)}

backend be_round_robin
  balance roundrobin
${servers(false)}

# The cookie carries Secure although this frontend is plain http: what users of such a setup get.
backend be_secure
  balance roundrobin
  cookie ${LAB_COOKIE} insert indirect nocache httponly secure
${servers(true)}
`;
}

function isAlive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** True when `pid` still runs the program we started (pids get reused). */
function isOurs(pid, marker) {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(marker);
  } catch {
    return isAlive(pid);
  }
}

/**
 * True until `pid`, one of ours, has really ended. An exiting process loses its command line before it closes its
 * sockets and becomes a zombie, so an empty command line still counts as running; a zombie (ours to reap) does not.
 */
function stillRunning(pid, marker) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    if (/^[ZX]/.test(stat.slice(stat.lastIndexOf(')') + 2))) return false;
    const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
    return cmdline === '' || cmdline.includes(marker);
  } catch {
    return false;
  }
}

function killSync(processes, signal = 'SIGTERM') {
  for (const p of processes) {
    if (p.pid && isOurs(p.pid, p.marker)) {
      try {
        process.kill(p.pid, signal);
      } catch {
        // already gone
      }
    }
  }
}

async function waitFor(what, check, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  let last = null;
  for (;;) {
    try {
      const r = await check();
      if (r) return r;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) throw new Error(`${what} not ready after ${timeoutMs} ms${last ? `: ${last.message}` : ''}`);
    // Poll spacing, not synchronisation: the loop exits on the first successful check.
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

function getOnce(url) {
  return new Promise((resolve, reject) => {
    const req = http.get(url, { agent: false, timeout: 1000 }, (res) => {
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers }));
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', reject);
  });
}

/** Sends one command to HAProxy's Runtime API and returns its answer. */
export function haproxyCommand(socketPath, command, timeoutMs = 2000) {
  return new Promise((resolve, reject) => {
    const socket = net.createConnection(socketPath);
    let out = '';
    const timer = setTimeout(() => socket.destroy(new Error(`no answer to "${command}" within ${timeoutMs} ms`)), timeoutMs);
    socket.setEncoding('utf8');
    socket.on('connect', () => socket.end(`${command}\n`));
    socket.on('data', (d) => (out += d));
    socket.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    socket.on('close', () => {
      clearTimeout(timer);
      resolve(out);
    });
  });
}

function readState(dir) {
  const file = path.join(dir, 'lab.json');
  if (!existsSync(file)) return null;
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    return null;
  }
}

/** Stops the lab recorded in `dir` (also one left behind by a killed parent) and waits until its processes exit. */
export async function stopHaproxyLab(dir = DEFAULT_HAPROXY_LAB_DIR) {
  const state = readState(dir);
  if (!state) return false;
  const processes = state.processes ?? [];
  const ended = async (timeoutMs) => {
    const deadline = Date.now() + timeoutMs;
    while (processes.some((p) => stillRunning(p.pid, p.marker)) && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  };
  killSync(processes, 'SIGTERM');
  await ended(STOP_TIMEOUT_MS);
  killSync(processes, 'SIGKILL');
  await ended(STOP_TIMEOUT_MS);
  rmSync(path.join(dir, 'lab.json'), { force: true });
  rmSync(path.join(dir, 'haproxy.sock'), { force: true });
  return true;
}

function checkConfig(file) {
  return new Promise((resolve, reject) => {
    execFile(HAPROXY_BIN, ['-c', '-q', '-f', file], (error, stdout, stderr) => {
      if (error) reject(new Error(`haproxy rejected ${file}: ${(stderr || stdout || error.message).trim()}`));
      else resolve();
    });
  });
}

/**
 * Starts three replicas and HAProxy. Resolves once every frontend answers through HAProxy and the Runtime API
 * responds; on any failure everything started so far is stopped before the error is thrown.
 */
export async function startHaproxyLab({
  dir = DEFAULT_HAPROXY_LAB_DIR,
  replicas: replicaCount = 3,
  cors = false,
  replicaCommand = nodeReplica('replica.mjs', cors ? ['--cors'] : []),
  readyPath = 'healthz',
  replicaEnv = {},
  handleSignals = true,
  detach = false,
} = {}) {
  if (!existsSync(HAPROXY_BIN)) throw new Error(`${HAPROXY_BIN} not found: apt-get install -y haproxy`);
  mkdirSync(dir, { recursive: true });
  await stopHaproxyLab(dir);

  const ports = await freePorts(replicaCount + 5);
  const replicas = Array.from({ length: replicaCount }, (_, i) => ({
    name: `replica-${i + 1}`,
    cookie: `r${i + 1}`,
    port: ports[i],
    url: `http://127.0.0.1:${ports[i]}/`,
    pid: 0,
  }));
  const [sticky, roundRobin, secure, stickyNoUpgrade, roundRobinNoUpgrade] = ports.slice(replicaCount);
  const frontends = { sticky, roundRobin, secure, stickyNoUpgrade, roundRobinNoUpgrade };
  const statsSocket = path.join(dir, 'haproxy.sock');
  const processes = [];
  const save = () => writeFileSync(path.join(dir, 'lab.json'), `${JSON.stringify({ processes, frontends, replicas, statsSocket }, null, 2)}\n`);

  const launch = (command, args, logName, marker, env = {}) => {
    const log = openSync(path.join(dir, logName), 'w');
    try {
      // Own process group: a Ctrl-C meant for the parent reaches the lab through our handlers, in order.
      const child = spawn(command, args, { detached: true, stdio: ['ignore', log, log], env: { ...process.env, ...env } });
      child.on('error', () => undefined);
      if (detach) child.unref();
      processes.push({ pid: child.pid, marker, name: logName.replace(/\.log$/, '') });
      save();
      return child;
    } finally {
      closeSync(log);
    }
  };

  let exited = null;
  const cleanupSync = () => killSync(processes, 'SIGKILL');
  const removeHandlers = handleSignals ? cleanupOnExit(cleanupSync) : () => undefined;

  try {
    for (const r of replicas) {
      const [command, ...args] = replicaCommand({ name: r.name, port: r.port });
      // The script's name tells our process from a later one that reused its pid.
      const marker = path.basename(args.find((a) => a.includes('/')) ?? command);
      const child = launch(command, args, `${r.name}.log`, marker, replicaEnv);
      r.pid = child.pid ?? 0;
      child.once('exit', (code, signal) => (exited ??= `${r.name} exited (${signal ?? code}); see ${path.join(dir, `${r.name}.log`)}`));
    }
    const configFile = path.join(dir, 'haproxy.cfg');
    writeFileSync(configFile, haproxyConfig({ dir, replicas, frontends }));
    await checkConfig(configFile);
    for (const r of replicas) {
      await waitFor(r.name, async () => {
        if (exited) throw new Error(exited);
        return (await getOnce(`${r.url}${readyPath}`)).status === 200;
      }, READY_TIMEOUT_MS);
    }
    const haproxy = launch(HAPROXY_BIN, ['-db', '-f', configFile], 'haproxy.log', 'haproxy');
    haproxy.once('exit', (code, signal) => (exited ??= `haproxy exited (${signal ?? code}); see ${path.join(dir, 'haproxy.log')}`));
    for (const [name, port] of Object.entries(frontends)) {
      await waitFor(`haproxy frontend ${name}`, async () => {
        if (exited) throw new Error(exited);
        return (await getOnce(`http://127.0.0.1:${port}/${readyPath}`)).status === 200;
      }, READY_TIMEOUT_MS);
    }
    // Health checks start as "up" but confirm within `inter`; wait until all three are really UP in every backend.
    await waitFor('haproxy runtime API', async () => {
      if (exited) throw new Error(exited);
      const stat = await haproxyCommand(statsSocket, 'show stat');
      const rows = stat.split('\n').filter((l) => /^be_/.test(l) && !/,BACKEND,/.test(l));
      return rows.length === 3 * replicaCount && rows.every((l) => l.split(',')[17] === 'UP');
    }, READY_TIMEOUT_MS);
  } catch (error) {
    removeHandlers();
    await stopHaproxyLab(dir);
    throw error;
  }
  if (detach) removeHandlers();

  const url = (port) => `http://127.0.0.1:${port}/`;
  return {
    dir,
    cookieName: LAB_COOKIE,
    replicas: replicas.map(({ name, cookie, port, url: u }) => ({ name, cookie, port, url: u })),
    frontends,
    urls: { sticky: url(sticky), roundRobin: url(roundRobin), secure: url(secure), stickyNoUpgrade: url(stickyNoUpgrade), roundRobinNoUpgrade: url(roundRobinNoUpgrade) },
    statsSocket,
    command: (cmd) => haproxyCommand(statsSocket, cmd),
    async stop() {
      removeHandlers();
      await stopHaproxyLab(dir);
    },
  };
}

const isMain = process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (isMain) {
  const [command, kind = 'whoami'] = process.argv.slice(2);
  const scripts = { whoami: 'replica.mjs', socketio: 'socketio-replica.mjs', session: 'session-replica.mjs' };
  const run = async () => {
    if (command === 'up' && kind in scripts) {
      const lab = await startHaproxyLab({ detach: true, replicaCommand: nodeReplica(scripts[kind]) });
      process.stdout.write(
        [
          `HAProxy lab up in ${lab.dir}`,
          `  sticky (cookie ${lab.cookieName} insert)   ${lab.urls.sticky}`,
          `  round robin                   ${lab.urls.roundRobin}`,
          `  cookie insert + secure        ${lab.urls.secure}   (try http://app.lab.test:${lab.frontends.secure}/ --resolve app.lab.test:${lab.frontends.secure}:127.0.0.1)`,
          `  runtime API                   ${lab.statsSocket}`,
          ...lab.replicas.map((r) => `  ${r.name.padEnd(29)} ${r.url}`),
          'Stop it with: node scripts/lab/haproxy.mjs down',
          '',
        ].join('\n'),
      );
      return 0;
    }
    if (command === 'down') {
      const stopped = await stopHaproxyLab();
      process.stdout.write(stopped ? 'HAProxy lab stopped\n' : 'no HAProxy lab was running\n');
      return 0;
    }
    process.stderr.write('usage: node scripts/lab/haproxy.mjs up [whoami|socketio|session] | down\n');
    return 2;
  };
  run().then(
    (code) => process.exit(code),
    (error) => {
      process.stderr.write(`haproxy lab: ${error instanceof Error ? error.message : String(error)}\n`);
      process.exit(1);
    },
  );
}
