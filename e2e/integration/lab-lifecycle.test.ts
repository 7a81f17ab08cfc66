// The demo lab inside the real app, as `npm start` runs it: with STICKYSCOPE_LAB=1 beside the Swarm lab, the topology
// holds both; a probe of a lab service names its replicas by lab tasks, though the Swarm lab's tasks share names; every
// socket the lab opens listens on loopback only; and SIGTERM leaves no process and no lab port.
import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import net from 'node:net';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseProbeSpec, runProbe } from '@/lib/probe';
import { traefikCookieDecoder } from '@/lib/probe/traefik-decoder';
import { createNodeTransport } from '@/lib/probe/transport-node';
import { buildReplicaIndex, replicaScopeOfRun, serverUrlsOf } from '@/lib/topology/replica-map';
import type { Topology } from '@/lib/topology/types';
import { isolatedEnv } from './dashboard-health';
import { freePort, labDockerHost } from './lab-cli';

const root = fileURLToPath(new URL('../..', import.meta.url));
// `npm start` builds first when the build is missing or stale.
const START_TIMEOUT_MS = 600_000;

/** Resolves once the process prints a line matching `pattern`; rejects if it exits first. */
function waitForOutput(child: ChildProcess, pattern: RegExp): Promise<void> {
  let output = '';
  return new Promise((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (pattern.test(output)) resolve();
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', (code, signal) => reject(new Error(`the app exited (${code ?? signal}) before ${pattern}:\n${output.slice(-4000)}`)));
  });
}

/** Every live process under `rootPid`, itself included, from the parent ids in /proc. */
function processTree(rootPid: number): number[] {
  const parents = new Map<number, number>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      // The command name may hold spaces and parentheses; the fields after its last ')' are fixed.
      const [state, ppid] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (state !== 'Z') parents.set(Number(entry), Number(ppid));
    } catch {
      // The process ended while the table was read.
    }
  }
  const tree = [rootPid].filter((pid) => parents.has(pid));
  for (let i = 0; i < tree.length; i++) {
    for (const [pid, ppid] of parents) if (ppid === tree[i] && !tree.includes(pid)) tree.push(pid);
  }
  return tree;
}

/** /proc/net/tcp{,6} addresses are hex, each 32-bit word in host (little-endian) byte order. */
function decodeAddress(hex: string): string {
  const words = hex.match(/.{8}/g) ?? [];
  const bytes = words.flatMap((w) => (w.match(/../g) ?? []).reverse().map((b) => parseInt(b, 16)));
  if (bytes.length === 4) return bytes.join('.');
  if (bytes.slice(0, 10).every((b) => b === 0) && bytes[10] === 255 && bytes[11] === 255) return `::ffff:${bytes.slice(12).join('.')}`;
  const groups = Array.from({ length: 8 }, (_, i) => ((bytes[2 * i]! << 8) | bytes[2 * i + 1]!).toString(16));
  return groups.join(':').replace(/(^|:)0(:0)+(:|$)/, '::');
}

const isLoopback = (address: string) => /^(::ffff:)?127\./.test(address) || address === '::1';

/** The TCP sockets the process listens on, from its open file descriptors and its network namespace's tables. */
function listeningSockets(pid: number): { address: string; port: number }[] {
  const inodes = new Set<string>();
  for (const fd of readdirSync(`/proc/${pid}/fd`)) {
    try {
      const match = /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/${pid}/fd/${fd}`));
      if (match) inodes.add(match[1]!);
    } catch {
      // Closed while listed.
    }
  }
  return ['tcp', 'tcp6'].flatMap((table) =>
    readFileSync(`/proc/${pid}/net/${table}`, 'utf8')
      .trim()
      .split('\n')
      .slice(1)
      .map((line) => line.trim().split(/\s+/))
      .filter((fields) => fields[3] === '0A' && inodes.has(fields[9]!))
      .map((fields) => {
        const [address, port] = fields[1]!.split(':');
        return { address: decodeAddress(address!), port: parseInt(port!, 16) };
      }),
  );
}

function connects(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

describe('the app with STICKYSCOPE_LAB=1 beside a real cluster', () => {
  let app: ChildProcess;
  let port = 0;
  let topology: Topology;
  /** The lab balancer's port and every replica's, as the topology reports them. */
  let labPorts: number[] = [];

  beforeAll(async () => {
    port = await freePort();
    const env = isolatedEnv({ PORT: String(port), DOCKER_HOST: labDockerHost(), STICKYSCOPE_LAB: '1' });
    app = spawn(process.execPath, ['scripts/start.mjs'], { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
    await waitForOutput(app, /stickyscope: listening on/);
    const response = await fetch(`http://127.0.0.1:${port}/api/topology`);
    expect(response.status).toBe(200);
    topology = (await response.json()) as Topology;
    const lab = topology.sources.lab?.balancer;
    if (!lab) throw new Error(`no lab balancer in the topology: ${JSON.stringify(topology.sources.lab)}`);
    const replicaPorts = topology.services.filter((s) => s.lab).flatMap((s) => s.servers.map((server) => Number(new URL(server.url).port)));
    labPorts = [lab.port, ...new Set(replicaPorts)];
  }, START_TIMEOUT_MS);

  afterAll(() => {
    if (app && app.exitCode === null && app.signalCode === null) app.kill('SIGKILL');
  });

  it('shows the Swarm services and the lab services side by side, each source with its own status', () => {
    expect(topology.sources.docker.status).toBe('ok');
    expect(topology.sources.lab?.status).toBe('ok');
    const swarm = topology.services.filter((s) => !s.lab);
    const lab = topology.services.filter((s) => s.lab);
    expect(swarm.length).toBeGreaterThan(0);
    expect(swarm.every((s) => !s.id.startsWith('lab-'))).toBe(true);
    expect(lab.map((s) => s.name)).toContain('secure-cookie-over-http');
    expect(lab.every((s) => s.stack === 'lab' && s.servers.every((server) => server.url.startsWith('http://127.0.0.1:')))).toBe(true);
  });

  it('a probe of a lab service names every replica by a task of that lab service, as the Probe page does', async () => {
    const lab = topology.sources.lab!.balancer!;
    // Cookie identities decode to server URLs: split-routers lists each task once per Traefik service, and every lab
    // task shares the loopback address with the others.
    const runs = [
      { scenario: 'sticky-ok', identity: 'auto' as const },
      { scenario: 'no-sticky', identity: 'auto' as const },
      { scenario: 'split-routers', identity: 'cookie' as const },
      { scenario: 'sticky-ok', identity: 'cookie' as const },
    ];
    for (const { scenario, identity } of runs) {
      const service = topology.services.find((s) => s.id === `lab-${scenario}`);
      const host = `${scenario}.lab.test`;
      const spec = parseProbeSpec({
        target: `http://${host}:${lab.port}/`,
        resolve: [`${host}:${lab.port}:${lab.address}`],
        requests: 12,
        intervalMs: 0,
        identity: identity === 'auto' ? 'auto' : { cookie: service?.sticky?.cookieName ?? 'none' },
      });
      const scope = replicaScopeOfRun(topology, spec.target, null);
      const transport = createNodeTransport({ resolve: spec.resolve });
      const result = await runProbe(spec, transport, { decode: traefikCookieDecoder(serverUrlsOf(topology, scope.preferServiceIds)) }).finally(() => transport.close());
      const find = buildReplicaIndex(topology, scope);
      const replicas = Object.keys(result.verdict.replicas);
      expect(replicas.length, `${scenario} (${identity}) identified replicas`).toBeGreaterThan(0);
      const named = replicas.map((replica) => ({ replica, match: find(replica) }));
      expect(
        named.filter(({ match }) => match?.task?.serviceId !== `lab-${scenario}`),
        `${scenario} (${identity}): replicas not named by a ${scenario} task`,
      ).toEqual([]);
    }
  });

  it('the lab listens on loopback only: every socket of the app but the dashboard’s own is bound to 127.0.0.1', () => {
    const sockets = processTree(app.pid!).flatMap(listeningSockets);
    const others = sockets.filter((s) => s.port !== port);
    expect(others.map((s) => s.port)).toEqual(expect.arrayContaining(labPorts));
    expect(others.filter((s) => !isLoopback(s.address))).toEqual([]);
  });

  it('SIGTERM stops the app and its lab: no process of it is left, and every lab port is closed', async () => {
    const tree = processTree(app.pid!);
    expect(tree.length).toBeGreaterThan(1);
    for (const labPort of labPorts) expect(await connects(labPort)).toBe(true);

    const exited = new Promise<void>((resolve) => app.once('exit', () => resolve()));
    app.kill('SIGTERM');
    await exited;

    expect(tree.filter((pid) => processTree(pid).length > 0)).toEqual([]);
    const stillOpen = [];
    for (const p of [port, ...labPorts]) if (await connects(p)) stillOpen.push(p);
    expect(stillOpen).toEqual([]);
  });
});
