// The system under attack: the real built dashboard (scripts/start.mjs serving with scripts/server.mjs), demo lab on,
// Docker off, its own report database, and two loopback capture servers. The forbidden one is in no allowlist, so
// nothing may ever reach it; the allowed one is reachable only as `allowed.test` (any port, like a Traefik router
// host) through an address override to 127.0.0.1, or as 127.0.0.1 on its own port.
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startDashboard, stopDashboard, type DashboardProcess } from '../integration/dashboard-health';
import { until } from '../integration/until';
import { startCaptureServer, type CaptureServer } from './capture-server';
import { jsonOf, sendRaw, type RawRequest } from './raw-http';

export const ALLOWED_HOST = 'allowed.test';

export type AttackTarget = {
  base: string;
  port: number;
  /** `127.0.0.1:<port>`: the Host header of a request the dashboard must serve. */
  host: string;
  forbidden: CaptureServer;
  allowed: CaptureServer;
  /** The demo lab balancer, as /api/topology reports it. */
  lab: { address: string; port: number };
  /** Sends one raw request to the dashboard; `host` defaults to `127.0.0.1:<port>`. */
  send(request: Omit<RawRequest, 'host'> & { host?: string | null }, timeoutMs?: number): ReturnType<typeof sendRaw>;
  /** Whether the process running scripts/server.mjs is still there. */
  serverRunning(): boolean;
  /** Resident memory of that process in bytes, from /proc; null once it is gone. */
  serverRss(): number | null;
  /** Whether GET /api/health answers 200 within a few seconds. */
  healthy(): Promise<boolean>;
  /** Starts the dashboard again (same port settings, same database) when it died. */
  restartIfDown(): Promise<void>;
  stop(): Promise<void>;
};

function procGroupOf(pid: string): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name, which is in parentheses and may contain spaces: state ppid pgrp ...
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return Number(fields[2]);
  } catch {
    return null;
  }
}

/** The pid of the node process running scripts/server.mjs in the process group `group`. */
function findServerPid(group: number): number | null {
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry) || procGroupOf(entry) !== group) continue;
    try {
      if (readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0').some((arg) => arg.endsWith(path.join('scripts', 'server.mjs')))) return Number(entry);
    } catch {
      // Exited while we looked.
    }
  }
  return null;
}

function rssOf(pid: number): number | null {
  try {
    const m = /^VmRSS:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) * 1024 : null;
  } catch {
    return null;
  }
}

export async function startAttackTarget(): Promise<AttackTarget> {
  const forbidden = await startCaptureServer('forbidden');
  const allowed = await startCaptureServer('allowed');
  const dir = mkdtempSync(path.join(os.tmpdir(), 'stickyscope-attack-'));
  const env = {
    STICKYSCOPE_LAB: '1',
    STICKYSCOPE_DOCKER: 'off',
    STICKYSCOPE_DB_PATH: path.join(dir, 'reports.db'),
    // An override's address must be allowed itself, hence 127.0.0.1 on the allowed port.
    STICKYSCOPE_ALLOWED_TARGETS: `${ALLOWED_HOST},127.0.0.1:${allowed.port}`,
  };

  let dashboard: DashboardProcess;
  let serverPid = 0;
  let port = 0;
  let lab = { address: '', port: 0 };
  const send: AttackTarget['send'] = (request, timeoutMs) => sendRaw(port, { ...request, host: request.host === undefined ? `127.0.0.1:${port}` : request.host }, timeoutMs);
  const boot = async () => {
    dashboard = await startDashboard(env);
    port = Number(new URL(dashboard.base).port);
    const group = dashboard.process.pid!;
    await until('the dashboard server process to show in /proc', async () => (serverPid = findServerPid(group) ?? 0) !== 0, 10_000);
    const topology = jsonOf(await send({ method: 'GET', path: '/api/topology' })) as { sources?: { lab?: { balancer?: { address: string; port: number } } } } | null;
    const balancer = topology?.sources?.lab?.balancer;
    if (!balancer) throw new Error('the dashboard reports no demo lab balancer in /api/topology');
    lab = balancer;
  };
  await boot();

  const serverRunning = () => rssOf(serverPid) !== null;
  const healthy = async () => {
    if (!serverRunning()) return false;
    try {
      return (await send({ method: 'GET', path: '/api/health' }, 5000)).status === 200;
    } catch {
      return false;
    }
  };

  return {
    get base() {
      return dashboard.base;
    },
    get port() {
      return port;
    },
    get host() {
      return `127.0.0.1:${port}`;
    },
    forbidden,
    allowed,
    get lab() {
      return lab;
    },
    send,
    serverRunning,
    serverRss: () => rssOf(serverPid),
    healthy,
    restartIfDown: async () => {
      if (await healthy()) return;
      await stopDashboard(dashboard, 2000);
      await boot();
    },
    stop: async () => {
      await stopDashboard(dashboard, 5000);
      await Promise.all([forbidden.close(), allowed.close()]);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
