// Protocol probes against real parts: Debian's HAProxy in front of three real socket.io servers
// (scripts/lab/socketio-replica.mjs) and of three real express-session apps (scripts/lab/session-replica.mjs),
// each behind round robin and behind cookie insert. Run through the engine in Node, through the CLI, and through the
// relay routes the browser uses.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { parseProbeSpec, runProbe, type ProbeResult, type ProbeSpecInput, type ProbeTransport } from '@/lib/probe';
import { withUpgrade } from '@/lib/probe/protocols/upgrade-node';
import { createNodeTransport } from '@/lib/probe/transport-node';
import { RelayTransport } from '@/lib/relay/client';
import { closeRelayTransports } from '@/lib/relay/transports';
import { nodeReplica, startHaproxyLab, type HaproxyLab } from '../../scripts/lab/haproxy.mjs';
import { labDockerHost, runStickyscope } from './lab-cli';

vi.mock('@/lib/env', async () => (await import('@/lib/relay/test/sources')).configAllowing([{ host: '127.0.0.1', port: null }]));
vi.mock('@/lib/topology', async () => (await import('@/lib/relay/test/sources')).noTopology);

const CLI_TIMEOUT_MS = 30_000;

let socketio: HaproxyLab;
let sessions: HaproxyLab;
const dirs: string[] = [];

async function lab(script: string): Promise<HaproxyLab> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'stickyscope-protocols-'));
  dirs.push(dir);
  return startHaproxyLab({ dir, replicaCommand: nodeReplica(script) });
}

beforeAll(async () => {
  const started = Date.now();
  [socketio, sessions] = await Promise.all([lab('socketio-replica.mjs'), lab('session-replica.mjs')]);
  process.stderr.write(`[integration] socket.io and express-session labs up in ${Date.now() - started} ms\n`);
}, 60_000);

afterAll(async () => {
  await closeRelayTransports();
  await Promise.all([socketio?.stop(), sessions?.stop()]);
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

async function probe(input: ProbeSpecInput, viaRelay = false): Promise<ProbeResult> {
  const spec = parseProbeSpec({ intervalMs: 0, ...input });
  const connection = { resolve: spec.resolve, timeoutMs: spec.timeoutMs, insecureTls: spec.insecureTls };
  const transport: ProbeTransport = viaRelay ? relayTransport(spec) : withUpgrade(createNodeTransport({ ...connection, connections: spec.concurrency }), connection);
  try {
    return await runProbe(spec, transport);
  } finally {
    await transport.close?.();
  }
}

/** The browser's transport, its fetch answered by the dashboard's own relay route handlers. */
function relayTransport(spec: ReturnType<typeof parseProbeSpec>): RelayTransport {
  const routes = { '/api/relay': import('@/app/api/relay/route'), '/api/relay/upgrade': import('@/app/api/relay/upgrade/route') };
  return new RelayTransport({
    resolve: spec.resolve,
    timeoutMs: spec.timeoutMs,
    insecureTls: spec.insecureTls,
    concurrency: spec.concurrency,
    readsBody: false,
    exposeHeaders: [],
    fetch: async (input, init) => {
      const route = await routes[String(input) as keyof typeof routes];
      return route.POST(new Request(`http://dashboard.local${String(input)}`, init));
    },
  });
}

const codes = (r: { diagnosis: { code: string }[] }) => r.diagnosis.map((d) => d.code);

describe('engine.io probe: three real socket.io replicas behind HAProxy', () => {
  it('round robin: FAIL at the first POST that lands elsewhere, with the Session ID unknown evidence', async () => {
    const r = await probe({ target: socketio.urls.roundRobin, protocol: 'engineio', requests: 12 });
    const [handshake, join] = r.records;
    expect(handshake).toMatchObject({ status: 200, protocol: { phase: 'handshake', outcome: 'ok' } });
    expect(join).toMatchObject({ status: 400, protocol: { phase: 'join', outcome: 'break', answer: 'Session ID unknown' } });
    // The identity header engine.io's own refusal carries: another replica than the handshake's.
    expect(join!.replica).toMatch(/^replica-[123]$/);
    expect(join!.replica).not.toBe(handshake!.replica);
    expect(r.verdict).toMatchObject({ status: 'fail', firstBreakAt: 2, firstBreakReplica: join!.replica });
    expect(r.diagnosis[0]).toMatchObject({ code: 'session-id-unknown', atIndex: 2 });
    expect(r.diagnosis[0]!.message).toContain(`answered 400 \`Session ID unknown\`: the balancer sent the session to a replica that did not hold it (sid ${handshake!.protocol!.session} opened on ${handshake!.replica} at request 1; this request reached ${join!.replica})`);
    // Every POST that reached the handshake's replica was accepted: the sessions live in each replica's memory.
    for (const x of r.records.slice(1)) expect(x.protocol!.outcome === 'ok').toBe(x.replica === handshake!.replica);
    expect(r.records.at(-1)!.protocol!.phase).toBe('upgrade');
  });

  it('cookie insert: PASS, every POST answered ok and the WebSocket upgrade lands on the handshake replica', async () => {
    const r = await probe({ target: socketio.urls.sticky, protocol: 'engineio', requests: 30 });
    expect(r.records.every((x) => x.protocol?.outcome === 'ok')).toBe(true);
    const upgrade = r.records.at(-1)!;
    expect(upgrade).toMatchObject({ status: 101, replica: r.records[0]!.replica, protocol: { phase: 'upgrade', answer: '3probe' } });
    expect(upgrade.cookieSent).toContain('SRV');
    expect(r.verdict).toMatchObject({ status: 'pass', firstBreakAt: null, errors: { total: 0 } });
    expect(codes(r)).toEqual(expect.arrayContaining(['upgrade-ok', 'sticky-ok']));
  });

  it('EIO=3 and a namespace: PASS', async () => {
    const r = await probe({ target: socketio.urls.sticky, protocol: 'engineio', requests: 10, engineio: { version: 3, namespace: '/probe' } });
    expect(r.records.every((x) => x.protocol?.outcome === 'ok')).toBe(true);
    expect(r.records.at(-1)).toMatchObject({ status: 101, protocol: { answer: '3probe' } });
  });

  it('four users at once, each with its own browser: every one keeps its own cookie and its sid, PASS', async () => {
    const r = await probe({ target: socketio.urls.sticky, protocol: 'engineio', requests: 40, concurrency: 4 });
    expect(r.records.filter((x) => x.protocol?.outcome !== 'ok')).toEqual([]);
    expect(r.verdict).toMatchObject({ status: 'pass', firstBreakAt: null, switches: 0 });
    // The four first visits carried no cookie, so they were spread over the replicas; each user then stayed on its own.
    expect(Object.keys(r.verdict.replicas).length).toBeGreaterThan(1);
    for (const lane of [1, 2, 3, 4]) expect(new Set(r.records.filter((x) => x.protocol!.lane === lane).map((x) => x.replica)).size).toBe(1);
    expect(codes(r)).not.toContain('balancer-cookie-changed');
    const roundRobin = await probe({ target: socketio.urls.roundRobin, protocol: 'engineio', requests: 40, concurrency: 4 });
    expect(roundRobin.verdict.status).toBe('fail');
    expect(codes(roundRobin)[0]).toBe('session-id-unknown');
  });

  it('the same through the relay routes the browser uses', async () => {
    const pass = await probe({ target: socketio.urls.sticky, protocol: 'engineio', requests: 10 }, true);
    expect(pass.verdict.status).toBe('pass');
    expect(pass.records.at(-1)).toMatchObject({ status: 101, protocol: { outcome: 'ok' } });
    const fail = await probe({ target: socketio.urls.roundRobin, protocol: 'engineio', requests: 10 }, true);
    expect(fail.verdict).toMatchObject({ status: 'fail', firstBreakAt: 2 });
    expect(codes(fail)[0]).toBe('session-id-unknown');
    const users = await probe({ target: socketio.urls.sticky, protocol: 'engineio', requests: 40, concurrency: 4 }, true);
    expect(users.records.filter((x) => x.protocol?.outcome !== 'ok')).toEqual([]);
    expect(users.verdict).toMatchObject({ status: 'pass', firstBreakAt: null });
  });
});

describe('app session: three real express-session replicas behind HAProxy', () => {
  it('round robin: app session lost at request 2', async () => {
    const r = await probe({ target: sessions.urls.roundRobin, requests: 12 });
    expect(r.protocol.appSession).toMatchObject({ name: 'connect.sid', firstLost: { index: 2 } });
    const lost = r.diagnosis.find((d) => d.code === 'app-session-lost');
    expect(lost?.message).toMatch(/^app session cookie `connect.sid` re-issued at request 2: the app lost the login/);
    expect(r.verdict).toMatchObject({ status: 'fail', firstBreakAt: 2 });
  });

  it('cookie insert: the session is kept for 100 requests', async () => {
    const r = await probe({ target: sessions.urls.sticky, requests: 100 });
    expect(r.protocol.appSession).toEqual({ name: 'connect.sid', sent: 99, lost: 0, firstLost: null });
    expect(r.verdict.status).toBe('pass');
    expect(codes(r)).toContain('app-session-kept');
  });
});

describe('session-route probe: a page and its session-scoped URL', () => {
  const sessionRoute = { extractRegex: '"url":"(session/[^"]+)"' };
  it('round robin: the session URL answers 404 on the other replicas', async () => {
    const r = await probe({ target: `${sessions.urls.roundRobin}page`, protocol: 'session-route', sessionRoute, requests: 10 });
    expect(r.records[0]).toMatchObject({ status: 200, protocol: { phase: 'page', outcome: 'ok' } });
    expect(r.records[1]).toMatchObject({ status: 404, protocol: { phase: 'route', outcome: 'break' } });
    expect(r.diagnosis[0]).toMatchObject({ code: 'session-route-lost', atIndex: 2 });
  });

  it('cookie insert: PASS, with one user or four at once', async () => {
    for (const concurrency of [1, 4]) {
      const r = await probe({ target: `${sessions.urls.sticky}page`, protocol: 'session-route', sessionRoute, requests: 20, concurrency });
      expect(r.records.filter((x) => x.protocol?.outcome !== 'ok')).toEqual([]);
      expect(r.verdict.status).toBe('pass');
    }
  });
});

describe('stickyscope probe --protocol engineio', () => {
  // The shell's cluster and stickyscope settings stay out of the command, as a clean machine would run it.
  const cli = (args: string[]) => runStickyscope(['probe', ...args], labDockerHost(), CLI_TIMEOUT_MS);

  it('exits 1 on round robin and 0 on cookie insert, with the diagnosis codes in the JSON', async () => {
    const rr = await cli([socketio.urls.roundRobin, '--protocol', 'engineio', '--requests', '12', '--interval', '0', '--json']);
    expect(rr.code, rr.stderr).toBe(1);
    const failed = JSON.parse(rr.stdout) as { verdict: { firstBreakAt: number }; diagnosis: { code: string; message: string }[] };
    expect(failed.verdict.firstBreakAt).toBe(2);
    expect(failed.diagnosis[0]!.code).toBe('session-id-unknown');
    const sticky = await cli([socketio.urls.sticky, '--protocol', 'engineio', '--requests', '12', '--interval', '0', '--concurrency', '4', '--json']);
    expect(sticky.code, sticky.stderr).toBe(0);
    expect(codes(JSON.parse(sticky.stdout) as { diagnosis: { code: string }[] })).toContain('upgrade-ok');
  });

  it('human output names the protocol phases', async () => {
    const run = await cli([socketio.urls.roundRobin, '--protocol', 'engineio', '--requests', '6', '--interval', '0']);
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/^FAIL /);
    expect(run.stdout).toMatch(/Protocol engineio\n {2}handshake +1 ok +0 broke +0 failed/);
    expect(run.stdout).toContain('session-id-unknown: the POST at request 2 answered 400 `Session ID unknown`');
  });
});
