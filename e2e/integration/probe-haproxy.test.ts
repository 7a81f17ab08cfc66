// The probe CLI and engine against real parts: Debian's HAProxy in front of three real replica processes
// (scripts/lab/haproxy.mjs), plus small local servers that misbehave on purpose (hang, 50 MB body, garbage cookies).
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseProbeSpec, runProbe, type ProbeSpecInput } from '@/lib/probe';
import { createNodeTransport } from '@/lib/probe/transport-node';
import { startHaproxyLab, type HaproxyLab } from '../../scripts/lab/haproxy.mjs';

const root = fileURLToPath(new URL('../../', import.meta.url));
const bin = path.join(root, 'bin', 'stickyscope.mjs');
const CLI_TIMEOUT_MS = 30_000;

type CliRun = { code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string };

type ProbeJson = {
  verdict: {
    sticky: boolean;
    status: string;
    firstBreakAt: number | null;
    switches: number;
    replicas: Record<string, number>;
    errors: { total: number; byStatus: Record<string, number>; byCode: Record<string, number> };
  };
  diagnosis: { code: string; message: string }[];
  requests: number;
  ended: string;
};

/** Runs the real CLI as a separate process group (so a test can send it a terminal-style Ctrl-C). */
function cli(args: string[], onStart?: (pid: number) => void): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bin, 'probe', ...args], { cwd: root, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const guard = setTimeout(() => {
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        // gone
      }
      reject(new Error(`stickyscope probe ${args.join(' ')} ran over ${CLI_TIMEOUT_MS} ms\n${stderr}`));
    }, CLI_TIMEOUT_MS);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(guard);
      resolve({ code, signal, stdout, stderr });
    });
    if (child.pid && onStart) onStart(child.pid);
  });
}

function json(run: CliRun): ProbeJson {
  try {
    return JSON.parse(run.stdout) as ProbeJson;
  } catch {
    throw new Error(`not JSON (exit ${run.code}):\n${run.stdout}\n${run.stderr}`);
  }
}

function listen(server: net.Server): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve((server.address() as net.AddressInfo).port));
  });
}

const BIG_BYTES = 50 * 1024 * 1024;

let lab: HaproxyLab;
let labDir: string;
const servers: net.Server[] = [];
const sockets = new Set<net.Socket>();
let hangPort = 0;
let bigPort = 0;
let garbagePort = 0;
let refusedPort = 0;
let bigBytesWritten = 0;
/** Called once the hanging server holds a `/ctrl-c` request (the Ctrl-C test waits on it instead of sleeping). */
let hangArrived: () => void = () => undefined;

const GARBAGE_SET_COOKIE = [
  ';;;',
  '=',
  '   ',
  'noequals',
  `huge=${'x'.repeat(5000)}`,
  '__Host-h=1; Path=/; Domain=garbage.test',
  '__Secure-s=1',
  'sec=1; Secure',
  'lax=1; SameSite=None',
  'weird=1; Expires=not-a-date; Max-Age=abc; Path=relative; Domain=',
  'SRV=r9; Path=/',
];

beforeAll(async () => {
  labDir = mkdtempSync(path.join(os.tmpdir(), 'stickyscope-haproxy-'));
  const started = Date.now();
  lab = await startHaproxyLab({ dir: labDir });
  process.stderr.write(`[integration] haproxy lab up in ${Date.now() - started} ms\n`);

  // Accepts, reads, never answers.
  const hang = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('data', (d) => {
      if (d.toString('latin1').startsWith('GET /ctrl-c ')) hangArrived();
    });
    socket.on('error', () => undefined);
  });
  hangPort = await listen(hang);
  servers.push(hang);

  // 50 MB with a Content-Length, written with backpressure until the client hangs up.
  const big = http.createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/plain', 'content-length': BIG_BYTES, 'x-replica': 'big' });
    const chunk = Buffer.alloc(64 * 1024, 'x');
    chunk.write('Hostname: big\n');
    let left = BIG_BYTES;
    const pump = () => {
      while (left > 0 && !res.destroyed) {
        const n = Math.min(left, chunk.length);
        left -= n;
        bigBytesWritten += n;
        if (!res.write(n === chunk.length ? chunk : chunk.subarray(0, n))) return void res.once('drain', pump);
      }
      if (left === 0) res.end();
    };
    res.on('error', () => undefined);
    pump();
  });
  big.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  bigPort = await listen(big);
  servers.push(big);

  // Raw HTTP, so the Set-Cookie lines go out exactly as written (node:http would tidy some of them).
  const garbage = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
    let buffered = '';
    socket.setEncoding('latin1').on('data', (d: string) => {
      buffered += d;
      while (buffered.includes('\r\n\r\n')) {
        buffered = buffered.slice(buffered.indexOf('\r\n\r\n') + 4);
        const body = 'Hostname: garbage-1\n';
        const head = ['HTTP/1.1 200 OK', `Content-Length: ${body.length}`, ...GARBAGE_SET_COOKIE.map((l) => `Set-Cookie: ${l}`)];
        socket.write(`${head.join('\r\n')}\r\n\r\n${body}`);
      }
    });
  });
  garbagePort = await listen(garbage);
  servers.push(garbage);

  const closed = net.createServer();
  refusedPort = await listen(closed);
  await new Promise((resolve) => closed.close(resolve));
}, 60_000);

afterAll(async () => {
  for (const s of sockets) s.destroy();
  await Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve))));
  await lab?.stop();
  if (labDir) rmSync(labDir, { recursive: true, force: true });
});

// One CLI at a time: each is a Node process compiling TypeScript, and the lab has two cores.
describe('stickyscope probe against real HAProxy', () => {
  it('cookie-insert backend: PASS, 100/100 on one replica, exit 0', async () => {
    const run = await cli([lab.urls.sticky, '--interval', '0', '--json']);
    expect(run.code, run.stderr).toBe(0);
    const r = json(run);
    expect(r.verdict).toMatchObject({ sticky: true, status: 'pass', firstBreakAt: null, switches: 0 });
    expect(Object.values(r.verdict.replicas)).toEqual([100]);
    expect(Object.keys(r.verdict.replicas)[0]).toMatch(/^replica-[123]$/);
    expect(r.requests).toBe(100);
    expect(r.diagnosis.map((d) => d.code)).toEqual(['sticky-ok']);
  });

  it('round-robin backend: FAIL at request 2, about a third each, "no balancer cookie", exit 1', async () => {
    const run = await cli([lab.urls.roundRobin, '--requests', '99', '--interval', '0', '--json']);
    expect(run.code, run.stderr).toBe(1);
    const r = json(run);
    expect(r.verdict).toMatchObject({ sticky: false, status: 'fail', firstBreakAt: 2 });
    expect(Object.keys(r.verdict.replicas).sort()).toEqual(['replica-1', 'replica-2', 'replica-3']);
    for (const n of Object.values(r.verdict.replicas)) expect(n).toBeGreaterThanOrEqual(28);
    expect(r.diagnosis[0]).toMatchObject({ code: 'no-balancer-cookie' });
    expect(r.diagnosis[0]!.message).toContain('no cookie was set by the balancer');
  });

  it('secure cookie-insert under a lab hostname over http: FAIL naming the Secure attribute', async () => {
    const port = lab.frontends.secure;
    const run = await cli([`http://app.lab.test:${port}/`, '--resolve', `app.lab.test:${port}:127.0.0.1`, '--interval', '0', '--json']);
    expect(run.code, run.stderr).toBe(1);
    const r = json(run);
    expect(r.verdict).toMatchObject({ sticky: false, firstBreakAt: 2 });
    expect(Object.keys(r.verdict.replicas)).toHaveLength(3);
    expect(r.diagnosis[0]!.code).toBe('secure-cookie-over-http');
    expect(r.diagnosis[0]!.message).toMatch(/`SRV` was set with `Secure` on an http target/);
  });

  it('the same reached as 127.0.0.1: sticky, with the loopback note', async () => {
    const run = await cli([lab.urls.secure, '--requests', '30', '--interval', '0', '--json']);
    expect(run.code, run.stderr).toBe(0);
    const r = json(run);
    expect(r.verdict.sticky).toBe(true);
    const note = r.diagnosis.find((d) => d.code === 'loopback-hides-secure');
    expect(note?.message).toContain('loopback');
  });

  it('--cookies none on the sticky backend with --expect spread: exit 0', async () => {
    const run = await cli([lab.urls.sticky, '--cookies', 'none', '--expect', 'spread', '--requests', '30', '--interval', '0', '--json']);
    expect(run.code, run.stderr).toBe(0);
    const r = json(run);
    expect(Object.keys(r.verdict.replicas)).toHaveLength(3);
    expect(r.diagnosis.map((d) => d.code)).toContain('cookies-disabled');
  });

  it('human output: verdict line, distribution, first break, diagnosis', async () => {
    const run = await cli([lab.urls.roundRobin, '--requests', '12', '--interval', '0']);
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/^FAIL {2}http:\/\/127\.0\.0\.1:\d+\//);
    expect(run.stdout).toMatch(/replica-1 +4 +33\.3%/);
    expect(run.stdout).toContain('First break: request 2');
    expect(run.stdout).toContain('no-balancer-cookie');
    // Not a TTY here, so no progress line.
    expect(run.stderr).toBe('');
  });
});

describe('stickyscope probe: bad input and bad targets', () => {
  it('an invalid URL: exit 2 with a message', async () => {
    const run = await cli(['not a url', '--json']);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain('"not a url" is not an absolute URL');
  });

  it('invalid options: exit 2, each with a readable message', async () => {
    const runs = await Promise.all([
      cli(['http://a.test/', '--requests', 'lots']),
      cli(['http://a.test/', '--resolve', 'b.test:80:127.0.0.1']),
      cli(['http://a.test/', '--header', 'Cookie: x=1']),
      cli(['http://a.test/', '--bogus']),
    ]);
    expect(runs.map((r) => r.code)).toEqual([2, 2, 2, 2]);
    expect(runs[0]!.stderr).toContain('--requests must be a whole number, not "lots"');
    expect(runs[1]!.stderr).toContain('does not match the target a.test:80');
    expect(runs[2]!.stderr).toContain('header Cookie is not allowed');
    expect(runs[3]!.stderr).toContain('unknown option --bogus');
  });

  it('a refused port: unreachable, exit 2', async () => {
    const run = await cli([`http://127.0.0.1:${refusedPort}/`, '--requests', '3', '--interval', '0']);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/cannot reach http:\/\/127\.0\.0\.1:\d+\/: connection refused/);
  });

  it('a server that never answers with --timeout 500: per-request timeouts, the run ends', async () => {
    const started = Date.now();
    const run = await cli([`http://127.0.0.1:${hangPort}/`, '--requests', '2', '--interval', '0', '--timeout', '500', '--json']);
    expect(Date.now() - started).toBeLessThan(15_000);
    expect(run.code).toBe(1);
    const r = json(run);
    expect(r.verdict.errors).toMatchObject({ total: 2, byCode: { timeout: 2 } });
    expect(r.diagnosis.map((d) => d.code)).toContain('errors');
  });

  it('Ctrl-C stops the run and still prints the result', async () => {
    const arrived = new Promise<void>((resolve) => (hangArrived = resolve));
    let pid = 0;
    const running = cli([`http://127.0.0.1:${hangPort}/ctrl-c`, '--requests', '50', '--timeout', '30000', '--json'], (p) => (pid = p));
    await arrived;
    // The whole process group, as a terminal does.
    process.kill(-pid, 'SIGINT');
    const run = await running;
    expect(run.code === 130 || run.signal === 'SIGINT').toBe(true);
    const r = json(run);
    expect(r.ended).toBe('aborted');
    expect(r.requests).toBe(0);
    expect(run.stderr).toContain('stopped after 0 of 50 requests');
  });
});

describe('the engine on misbehaving targets', () => {
  const probe = async (input: ProbeSpecInput) => {
    const spec = parseProbeSpec({ intervalMs: 0, ...input });
    const transport = createNodeTransport({ resolve: spec.resolve, timeoutMs: spec.timeoutMs, connections: spec.concurrency });
    try {
      return await runProbe(spec, transport);
    } finally {
      await transport.close();
    }
  };

  it('a 50 MB response is capped and the run completes', async () => {
    const before = bigBytesWritten;
    const r = await probe({ target: `http://127.0.0.1:${bigPort}/`, requests: 3 });
    expect(r.ended).toBe('completed');
    expect(r.records.map((x) => [x.status, x.bodyTruncated, x.replica])).toEqual([
      [200, true, 'big'],
      [200, true, 'big'],
      [200, true, 'big'],
    ]);
    // The connection is dropped at the cap, so the server never gets to write the whole 3 × 50 MB.
    expect(bigBytesWritten - before).toBeLessThan(3 * BIG_BYTES);
  });

  it('garbage Set-Cookie lines are rejected with reasons and the run completes', async () => {
    const r = await probe({ target: `http://app.garbage.test:${garbagePort}/`, resolve: [`app.garbage.test:${garbagePort}:127.0.0.1`], requests: 3 });
    expect(r.ended).toBe('completed');
    expect(r.verdict).toMatchObject({ status: 'pass', replicas: { 'garbage-1': 3 } });
    const first = r.records[0]!.setCookies;
    expect(first).toHaveLength(GARBAGE_SET_COOKIE.length);
    const rejected = first.filter((e) => e.outcome === 'rejected').map((e) => e.reason);
    expect(rejected).toEqual(
      expect.arrayContaining(['empty', 'too-large', 'host-prefix', 'secure-prefix', 'samesite-none-insecure', 'secure-over-http']),
    );
    expect(first.find((e) => e.name === 'SRV')?.outcome).toBe('stored');
    expect(r.records[1]!.cookieSent).toContain('SRV');
    expect(r.diagnosis.some((d) => d.code === 'cookie-rejected' || d.code === 'samesite-none-insecure')).toBe(true);
  });
});
