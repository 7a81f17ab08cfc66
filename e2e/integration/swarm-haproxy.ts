// A real HAProxy with cookie insert and redispatch in front of a host-network service of the Swarm lab: one server
// per task slot, on the slot's loopback port, named like the task's hostname and carrying it as its `SRV` cookie
// value. Health checks every 200 ms with fall 1, so a killed task leaves the rotation at once and a client pinned to
// it is sent elsewhere with a new cookie. Plain Node, so vitest and Playwright share it.
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { closedLoopbackPort } from '@/lib/test/loopback';
import { until } from './until';

/** The lab's facts about one host-network service: `app-1`.. by slot, and one 127.0.0.1 URL per slot. */
export type HostNetworkService = { name: string; hostnames: string[]; urls: string[] };

export type SwarmHaproxy = {
  /** `http://127.0.0.1:PORT/`. */
  frontend: string;
  /** Runtime API at admin level. */
  socket: string;
  stop(): Promise<void>;
};

/** HTTP status of one GET, 0 when nothing answered within a second. */
export function httpStatus(url: string): Promise<number> {
  return new Promise((resolve) => {
    const req = http.get(url, { agent: false, timeout: 1000 }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(0));
  });
}

function config(service: HostNetworkService, port: number, socket: string): string {
  const servers = service.urls.map((url, i) => `  server ${service.hostnames[i]} ${new URL(url).host} cookie ${service.hostnames[i]}`).join('\n');
  return `global
  stats socket ${socket} level admin mode 600

defaults
  mode http
  timeout connect 1s
  timeout client 10s
  timeout server 10s
  # An upgraded connection (a Shiny app's WebSocket) stays open while idle, as a browser tab does.
  timeout tunnel 1h
  retries 2
  option redispatch

frontend fe
  bind 127.0.0.1:${port}
  default_backend be_web

backend be_web
  balance roundrobin
  cookie SRV insert indirect nocache httponly
  default-server check inter 200ms fall 1 rise 2
${servers}
`;
}

/** Starts HAProxy with its config and socket in `dir`; resolves once every server is UP and the frontend answers. */
export async function startSwarmHaproxy(service: HostNetworkService, dir: string): Promise<SwarmHaproxy> {
  // Imported when needed: Playwright compiles this file to CommonJS, where a static import of an ES module fails.
  const { HAPROXY_BIN, haproxyCommand } = await import('../../scripts/lab/haproxy.mjs');
  const socket = path.join(dir, 'admin.sock');
  const port = await closedLoopbackPort();
  const frontend = `http://127.0.0.1:${port}/`;
  const file = path.join(dir, 'haproxy.cfg');
  writeFileSync(file, config(service, port, socket));
  const child = spawn(HAPROXY_BIN, ['-db', '-f', file], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const gone = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill('SIGTERM');
    await gone;
  };
  try {
    await until(
      `HAProxy to see every ${service.name} task UP`,
      async () => {
        if (child.exitCode !== null) throw new Error(`haproxy exited: ${stderr}`);
        const state = await haproxyCommand(socket, 'show stat').catch(() => '');
        const rows = state.split('\n').filter((l) => l.startsWith('be_web,') && !l.startsWith('be_web,BACKEND'));
        return rows.length === service.urls.length && rows.every((l) => l.split(',')[17] === 'UP') && (await httpStatus(frontend)) === 200;
      },
      15_000,
    );
  } catch (error) {
    await stop();
    throw error;
  }
  return { frontend, socket, stop };
}
