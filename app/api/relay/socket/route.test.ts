// Held WebSockets at the relay (open, send, receive-until, close), against the demo lab's emulated Shiny replica on
// loopback: the page's Shiny lane runs over them, each socket belongs to the run that opened it, the allowlist and
// the header bytes are checked as on every relay route, and the relay bounds what it holds.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { createShinyReplicaServer } from '@/lib/lab/shiny-emulation';
import { parseProbeSpec, runProbe } from '@/lib/probe';
import type { SocketReceipt } from '@/lib/probe/types';
import { RelayTransport } from '@/lib/relay/client';
import type { RelaySocketOpenRequest, RelaySocketOpenResult } from '@/lib/relay/schema';
import { closeHeldSockets, closeSilentSockets, heldSocketCounts, MAX_HELD_SOCKETS, MAX_SOCKETS_PER_RUN, SOCKET_IDLE_CLOSE_MS } from '@/lib/relay/sockets';
import { postRelayRoute, relayRouteFetch } from '@/lib/relay/test/route-fetch';
import { closeRelayTransports } from '@/lib/relay/transports';

vi.mock('@/lib/env', async () =>
  (await import('@/lib/relay/test/sources')).configAllowing([
    { host: '127.0.0.1', port: null },
    { host: 'shiny.test', port: null },
  ]),
);
vi.mock('@/lib/topology', async () => (await import('@/lib/relay/test/sources')).noTopology);

let server: http.Server;
let port = 0;
let base = '';
const upgrades: { cookie?: string; ua?: string; host?: string }[] = [];

beforeAll(async () => {
  server = createShinyReplicaServer({ replica: 'shiny-1', hostname: 'shiny-1' });
  server.prependListener('upgrade', (req: http.IncomingMessage) => upgrades.push({ cookie: req.headers.cookie, ua: req.headers['user-agent'], host: req.headers.host }));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  port = (server.address() as AddressInfo).port;
  base = `http://127.0.0.1:${port}`;
});

afterEach(async () => {
  vi.useRealTimers();
  await closeHeldSockets();
});

afterAll(async () => {
  await closeRelayTransports();
  server.closeAllConnections();
  await new Promise<void>((r) => server.close(() => r()));
});

const RUN = 'socket-test-run-0001';
const OTHER_RUN = 'socket-test-run-0002';
const INIT = JSON.stringify({ method: 'init', data: { '.clientdata_output_table_hidden': false } });

function openBody(over: Partial<RelaySocketOpenRequest> = {}): RelaySocketOpenRequest {
  return {
    run: RUN,
    url: `${base}/websocket/`,
    headers: ['user-agent', 'stickyscope-probe/test'],
    cookie: 'SRV=r1',
    frame: INIT,
    resolve: [],
    timeoutMs: 2000,
    insecureTls: false,
    exposeHeaders: [],
    ...over,
  };
}

type ErrorJson = { error?: { code: string; message: string } };

async function call<T>(path: Parameters<typeof postRelayRoute>[0], body: unknown) {
  const response = await postRelayRoute(path, body);
  return { status: response.status, json: (await response.json()) as T & ErrorJson };
}

const open = (over: Partial<RelaySocketOpenRequest> = {}) => call<RelaySocketOpenResult>('/api/relay/socket', openBody(over));
const receive = (run: string, socket: string, until = '"values"', timeoutMs = 2000) =>
  call<SocketReceipt>('/api/relay/socket/receive', { run, socket, until, maxFrames: 100, maxChars: 1_000_000, timeoutMs });
const send = (run: string, socket: string, text: string) => call<{ sent: boolean }>('/api/relay/socket/send', { run, socket, text });
const close = (run: string, socket: string) => call<{ closed: true }>('/api/relay/socket/close', { run, socket });

/** Opens a socket for `run` and reads its session id and DT route from `config` and `values`. */
async function session(run = RUN) {
  const opened = await open({ run });
  expect(opened.status).toBe(200);
  const id = opened.json.ok ? opened.json.socket : null;
  expect(id).toMatch(/^[A-Za-z0-9_-]{22}$/);
  const got = await receive(run, id!);
  expect(got.json.ended).toBe('matched');
  const text = got.json.frames.map((f) => f.text).join('\n');
  const route = /"url":"(session\/[0-9a-f]{32}\/dataobj\/table[^"]*)"/.exec(text)?.[1];
  expect(route).toBeDefined();
  return { id: id!, route: route!, text };
}

const routeStatus = async (route: string) => (await fetch(`${base}/${route}`, { method: 'POST', body: 'draw=1' })).status;

describe('POST /api/relay/socket and its send, receive and close', () => {
  it('opens with the cookie and headers, sends the first frame, and receives Shiny’s config and values until asked', async () => {
    const opened = await open();
    expect(opened.json).toMatchObject({ ok: true, status: 101, headers: {} });
    expect(upgrades.at(-1)).toEqual({ cookie: 'SRV=r1', ua: 'stickyscope-probe/test', host: `127.0.0.1:${port}` });
    const id = (opened.json as { socket: string }).socket;
    const config = await receive(RUN, id, '"config"');
    expect(config.json).toMatchObject({ ended: 'matched', closed: null, dropped: 0 });
    expect(config.json.frames).toHaveLength(1);
    const rest = await receive(RUN, id, '"idle"');
    expect(rest.json.frames.map((f) => f.text).join()).toContain('"values"');
    expect(heldSocketCounts(RUN)).toMatchObject({ total: 1, run: 1 });
    // Nothing more comes: the receive ends at its own timeout, empty.
    expect((await receive(RUN, id, 'never', 50)).json).toMatchObject({ frames: [], ended: 'timeout' });
    expect((await send(RUN, id, INIT)).json).toEqual({ sent: true });
    expect((await receive(RUN, id)).json.ended).toBe('matched');
  });

  it('close ends the Shiny session upstream, and the id is unknown from then on', async () => {
    const { id, route } = await session();
    expect(await routeStatus(route)).toBe(200);
    expect((await close(RUN, id)).json).toEqual({ closed: true });
    await expect.poll(() => routeStatus(route), { timeout: 5000 }).toBe(404);
    expect((await receive(RUN, id)).status).toBe(404);
    expect(heldSocketCounts().total).toBe(0);
  });

  it('runs the Probe page’s Shiny lane (protocol auto) through RelayTransport, via an address override, and releases its sockets', async () => {
    const spec = parseProbeSpec({ target: `http://shiny.test:${port}/`, resolve: [`shiny.test:${port}:127.0.0.1`], requests: 12, intervalMs: 0 });
    const transport = new RelayTransport({ resolve: spec.resolve, timeoutMs: spec.timeoutMs, insecureTls: false, concurrency: 1, readsBody: false, exposeHeaders: [], fetch: relayRouteFetch });
    const r = await runProbe(spec, transport);
    expect(r.protocol.detection).toMatchObject({ requested: 'auto', protocol: 'shiny' });
    expect(r.records.map((x) => x.protocol?.phase)).toEqual(['page', 'connect', ...Array<string>(10).fill('route')]);
    expect(r.protocol.phases.route).toMatchObject({ ok: 10, break: 0, error: 0 });
    expect(r.verdict.status).toBe('pass');
    expect(upgrades.at(-1)?.host).toBe(`shiny.test:${port}`);
    expect(r.records.every((x) => x.transport === 'relay')).toBe(true);
    expect(heldSocketCounts().total).toBe(0);
  });
});

describe('relay sockets under attack', () => {
  it('another run’s socket id is unknown to it: send, receive and close answer 404 like a missing one, and the owner keeps its session', async () => {
    const { id, route } = await session();
    const missing = await receive(OTHER_RUN, 'A'.repeat(22));
    for (const answer of [await send(OTHER_RUN, id, INIT), await receive(OTHER_RUN, id), await close(OTHER_RUN, id)]) {
      expect(answer.status).toBe(404);
      expect(answer.json.error).toEqual(missing.json.error);
    }
    expect(await routeStatus(route)).toBe(200);
    expect((await send(RUN, id, INIT)).json).toEqual({ sent: true });
    expect((await receive(RUN, id)).json.ended).toBe('matched');
  });

  it('refuses ids that are not the relay’s and every unbounded receive with 400', async () => {
    const { id } = await session();
    for (const socket of ['short', 'x'.repeat(23), '../../etc/passwd-aaaaaa', 'A'.repeat(21) + '%']) expect((await receive(RUN, socket)).status).toBe(400);
    const bad = [{ maxFrames: 0 }, { maxFrames: 1e9 }, { maxChars: 1e12 }, { timeoutMs: 10_000_000 }, { until: 'x'.repeat(10_000) }, { extra: 1 }];
    for (const over of bad) {
      const answer = await call('/api/relay/socket/receive', { run: RUN, socket: id, until: 'x', maxFrames: 1, maxChars: 10, timeoutMs: 10, ...over });
      expect(answer.status, JSON.stringify(over)).toBe(400);
    }
    expect((await send(RUN, id, 'x'.repeat(200 * 1024))).status).toBe(400);
  });

  it('refuses targets outside the allowlist and override bypasses with 403, without connecting', async () => {
    const before = upgrades.length;
    const denied = await open({ url: 'http://not-allowed.test/websocket/' });
    expect(denied.status).toBe(403);
    expect(denied.json.error?.message).toContain('STICKYSCOPE_ALLOWED_TARGETS');
    const dotted = await open({ url: `http://shiny.test.:${port}/websocket/`, resolve: [{ host: 'shiny.test.', port, address: '10.9.9.9' }] });
    expect([dotted.status, dotted.json.error?.code]).toEqual([403, 'target-not-allowed']);
    const elsewhere = await open({ url: `http://shiny.test:${port}/websocket/`, resolve: [{ host: 'shiny.test', port, address: '169.254.169.254' }] });
    expect(elsewhere.status).toBe(403);
    expect(upgrades.length).toBe(before);
    expect(heldSocketCounts().total).toBe(0);
  });

  it('header values beyond latin1 and refused headers get 400 with a message, never a 500 (header injection)', async () => {
    const before = upgrades.length;
    for (const over of [{ headers: ['x-note', 'a\u010d\u010aX-Evil: 1'] }, { cookie: 'a=\u010d\u010a' }, { headers: ['Cookie', 'a=1'] }, { headers: ['Host', 'evil.test'] }]) {
      const { status, json } = await open(over);
      expect(status).toBe(400);
      expect(json.error?.message).toMatch(/U\+|not allowed/);
    }
    expect(upgrades.length).toBe(before);
  });

  it(`holds at most ${MAX_SOCKETS_PER_RUN} sockets per run and ${MAX_HELD_SOCKETS} in all, answering 503 beyond and never closing another run’s`, async () => {
    const runs = Array.from({ length: MAX_HELD_SOCKETS / MAX_SOCKETS_PER_RUN }, (_, i) => `socket-limit-run-${String(i).padStart(4, '0')}`);
    const first = await session(runs[0]);
    for (const run of runs) {
      const opened = await Promise.all(Array.from({ length: run === runs[0] ? MAX_SOCKETS_PER_RUN - 1 : MAX_SOCKETS_PER_RUN }, () => open({ run, frame: null })));
      expect(opened.every((o) => o.status === 200 && o.json.ok && o.json.socket)).toBe(true);
    }
    const overRun = await open({ run: runs[1] });
    expect([overRun.status, overRun.json.error?.code]).toEqual([503, 'busy']);
    expect(overRun.json.error?.message).toContain('this run holds its limit');
    const overAll = await open({ run: 'socket-limit-run-late' });
    expect([overAll.status, overAll.json.error?.code]).toEqual([503, 'busy']);
    expect(heldSocketCounts().total).toBe(MAX_HELD_SOCKETS);
    // The first run's session lived through all of it.
    expect(await routeStatus(first.route)).toBe(200);
    expect((await send(runs[0]!, first.id, INIT)).json).toEqual({ sent: true });
    await close(runs[0]!, first.id);
    expect((await open({ run: 'socket-limit-run-late' })).json).toMatchObject({ ok: true, status: 101 });
  });

  it('closes the sockets of a silent run only: relayed requests and a waiting receive count as the run talking', async () => {
    // Only the clock moves on: sockets, timers and the upstream are real.
    vi.useFakeTimers({ toFake: ['Date'], shouldAdvanceTime: true });
    const t0 = Date.now();
    const silent = await session(RUN);
    const talking = await session(OTHER_RUN);
    const waiting = await session('socket-test-run-0003');
    // The second run goes on sending requests through the relay, as a Shiny lane does between its socket calls.
    vi.setSystemTime(t0 + SOCKET_IDLE_CLOSE_MS - 1000);
    const relayed = await postRelayRoute('/api/relay', {
      run: OTHER_RUN, url: `${base}/`, method: 'GET', headers: [], cookie: null, body: null, resolve: [], timeoutMs: 2000, insecureTls: false, connections: 1, maxBodyBytes: 0, exposeHeaders: [],
    });
    expect(relayed.status).toBe(200);
    const pending = receive('socket-test-run-0003', waiting.id, 'never', 1500);
    await expect.poll(() => heldSocketCounts().receiving).toBe(1);
    expect(closeSilentSockets(t0 + SOCKET_IDLE_CLOSE_MS + 1000)).toBe(1);
    await expect.poll(() => routeStatus(silent.route), { timeout: 5000 }).toBe(404);
    expect((await receive(RUN, silent.id)).status).toBe(404);
    expect(await routeStatus(talking.route)).toBe(200);
    expect(await routeStatus(waiting.route)).toBe(200);
    expect((await pending).json.ended).toBe('timeout');
    // Later, the talking run falls silent too.
    expect(closeSilentSockets(t0 + 3 * SOCKET_IDLE_CLOSE_MS)).toBe(2);
    await expect.poll(() => routeStatus(talking.route), { timeout: 5000 }).toBe(404);
  });
});
