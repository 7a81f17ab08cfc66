// The upgrade relay against a real socket.io server on loopback: one WebSocket per call, the jar's cookie and the
// run's headers carried, the allowlist applied.
import http from 'node:http';
import net, { type AddressInfo } from 'node:net';
import { Server } from 'socket.io';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { RelayResult, RelayUpgradeRequest } from '@/lib/relay/schema';

vi.mock('@/lib/env', async () =>
  (await import('@/lib/relay/test/sources')).configAllowing([
    { host: '127.0.0.1', port: null },
    { host: 'chat.test', port: null },
  ]),
);
vi.mock('@/lib/topology', async () => (await import('@/lib/relay/test/sources')).noTopology);

const { POST } = await import('./route');
const { MAX_OPEN_UPGRADES } = await import('@/lib/relay/upgrade');

let server: http.Server;
let io: Server;
let port = 0;
const upgrades: { cookie?: string; ua?: string; host?: string }[] = [];

beforeAll(async () => {
  server = http.createServer();
  io = new Server(server);
  server.prependListener('upgrade', (req: http.IncomingMessage) => upgrades.push({ cookie: req.headers.cookie, ua: req.headers['user-agent'], host: req.headers.host }));
  io.engine.on('headers', (headers: Record<string, string>) => {
    headers['x-replica'] = 'io-1';
    headers['set-cookie'] = 'io=1; Path=/';
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  port = (server.address() as AddressInfo).port;
});

afterAll(async () => {
  await new Promise<void>((r) => io.close(() => r()));
});

async function handshake(): Promise<string> {
  const res = await fetch(`http://127.0.0.1:${port}/socket.io/?EIO=4&transport=polling`);
  return (JSON.parse((await res.text()).slice(1)) as { sid: string }).sid;
}

function body(sid: string, over: Partial<RelayUpgradeRequest> = {}): RelayUpgradeRequest {
  return {
    url: `http://127.0.0.1:${port}/socket.io/?EIO=4&transport=websocket&sid=${sid}`,
    headers: ['user-agent', 'stickyscope-probe/test'],
    cookie: 'SRV=r1',
    frame: '2probe',
    resolve: [],
    timeoutMs: 2000,
    insecureTls: false,
    exposeHeaders: [],
    ...over,
  };
}

async function call(payload: unknown) {
  const response = await POST(new Request('http://dashboard.local/api/relay/upgrade', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(payload) }));
  return { status: response.status, json: (await response.json()) as RelayResult & { error?: { code: string; message: string } } };
}

describe('POST /api/relay/upgrade', () => {
  it('opens the WebSocket with the cookie and headers, sends the frame and hands back the answer and the replica', async () => {
    const sid = await handshake();
    const { status, json } = await call(body(sid));
    expect(status).toBe(200);
    expect(upgrades.at(-1)).toEqual({ cookie: 'SRV=r1', ua: 'stickyscope-probe/test', host: `127.0.0.1:${port}` });
    expect(json).toMatchObject({ ok: true, status: 101, bodyPrefix: '3probe', headers: { 'x-replica': 'io-1' }, setCookie: ['io=1; Path=/'] });
  });

  it('hands back a refused upgrade with its status and message', async () => {
    const { json } = await call(body('not-a-session'));
    expect(json).toMatchObject({ ok: true, status: 400, bodyPrefix: 'Session ID unknown' });
  });

  it('goes through an address override, keeping the hostname in the Host header', async () => {
    const sid = await handshake();
    const { json } = await call(
      body(sid, { url: `http://chat.test:${port}/socket.io/?EIO=4&transport=websocket&sid=${sid}`, resolve: [{ host: 'chat.test', port, address: '127.0.0.1' }] }),
    );
    expect(json).toMatchObject({ ok: true, status: 101, bodyPrefix: '3probe' });
    expect(upgrades.at(-1)?.host).toBe(`chat.test:${port}`);
  });

  it('refuses targets outside the allowlist and invalid bodies, without connecting', async () => {
    const before = upgrades.length;
    const denied = await call(body('x', { url: 'http://not-allowed.test/socket.io/?transport=websocket' }));
    expect(denied.status).toBe(403);
    expect(denied.json.error?.message).toContain('STICKYSCOPE_ALLOWED_TARGETS');
    expect((await call({ ...body('x'), frame: 'x'.repeat(2000) })).status).toBe(400);
    expect((await call(body('x', { headers: ['Cookie', 'a=1'] }))).status).toBe(400);
    expect(upgrades.length).toBe(before);
  });

  it('a trailing-dot spelling of an allowed host cannot carry an override elsewhere (allowlist bypass, SSRF)', async () => {
    const before = upgrades.length;
    const denied = await call(
      body('x', { url: `http://chat.test.:${port}/socket.io/?transport=websocket`, resolve: [{ host: 'chat.test.', port, address: '10.9.9.9' }] }),
    );
    expect(denied.status).toBe(403);
    expect(denied.json.error?.code).toBe('target-not-allowed');
    expect(upgrades.length).toBe(before);
  });

  it('header values beyond latin1 get 400 with a message, never a 500 (header injection)', async () => {
    const before = upgrades.length;
    for (const over of [{ headers: ['x-note', 'a\u010d\u010aX-Evil: 1'] }, { cookie: 'a=\u010d\u010a' }, { headers: ['x-note', '\u{1F600}'] }]) {
      const { status, json } = await call(body('x', over));
      expect(status).toBe(400);
      expect(json.error?.message).toMatch(/U\+/);
    }
    expect(upgrades.length).toBe(before);
  });

  it('holds at most MAX_OPEN_UPGRADES sockets at once and answers 503 beyond, then serves again', async () => {
    // Never reads, so its sockets see no end until destroyed here.
    const held = new Set<net.Socket>();
    const silent = net.createServer((socket) => {
      held.add(socket);
      socket.on('error', () => undefined);
    });
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
    const silentPort = (silent.address() as AddressInfo).port;
    try {
      const hanging = body('x', { url: `http://127.0.0.1:${silentPort}/socket.io/?transport=websocket`, timeoutMs: 1500 });
      const first = Array.from({ length: MAX_OPEN_UPGRADES }, () => call(hanging));
      const over = await call(hanging);
      expect(over.status).toBe(503);
      expect(over.json.error?.code).toBe('busy');
      expect((await Promise.all(first)).every((r) => r.status === 200 && !r.json.ok)).toBe(true);
      const sid = await handshake();
      expect((await call(body(sid))).json).toMatchObject({ ok: true, status: 101 });
    } finally {
      for (const socket of held) socket.destroy();
      await new Promise<void>((r) => silent.close(() => r()));
    }
  });
});
