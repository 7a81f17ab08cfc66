import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { closeRelayTransports } from '@/lib/relay/relay';
import type { RelayRequest, RelayResult } from '@/lib/relay/schema';

vi.mock('@/lib/env', async () => (await import('@/lib/relay/test/sources')).configAllowing([{ host: '127.0.0.1', port: null }]));
vi.mock('@/lib/topology', async () => (await import('@/lib/relay/test/sources')).noTopology);

const { POST } = await import('./route');

let server: http.Server;
let base = '';
let closedPort = 0;
const sockets = new Set<unknown>();
const seen: { cookie?: string; ua?: string; host?: string }[] = [];

beforeAll(async () => {
  server = http.createServer((req, res) => {
    sockets.add(req.socket);
    seen.push({ cookie: req.headers.cookie, ua: req.headers['user-agent'], host: req.headers.host });
    if (req.url === '/hang') return; // never answers
    if (req.url === '/big') {
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.end(`Hostname: big-1\n${'x'.repeat(200 * 1024)}`);
      return;
    }
    res.setHeader('set-cookie', ['SRV=s1; Path=/; HttpOnly', 'theme=dark']);
    res.setHeader('x-replica', 'app-1');
    res.setHeader('x-secret', 'not for the browser');
    res.end('Hostname: app-1\n');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const probe = http.createServer();
  await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r));
  closedPort = (probe.address() as AddressInfo).port;
  await new Promise<void>((r) => probe.close(() => r()));
});

afterAll(async () => {
  await closeRelayTransports();
  server.closeAllConnections();
  await new Promise<void>((r) => server.close(() => r()));
});

function relayBody(overrides: Partial<RelayRequest> = {}): RelayRequest {
  return {
    url: `${base}/`,
    method: 'GET',
    headers: ['user-agent', 'stickyscope-probe/test'],
    cookie: null,
    body: null,
    resolve: [],
    timeoutMs: 2000,
    insecureTls: false,
    connections: 1,
    maxBodyBytes: 64 * 1024,
    exposeHeaders: [],
    ...overrides,
  };
}

async function call(body: unknown, signal?: AbortSignal) {
  const response = await POST(
    new Request('http://dashboard.local/api/relay', { method: 'POST', body: JSON.stringify(body), headers: { 'content-type': 'application/json' }, signal }),
  );
  return { status: response.status, json: (await response.json()) as RelayResult & { error?: { code: string; message: string } } };
}

describe('POST /api/relay', () => {
  it('performs one request and hands back status, every Set-Cookie line, selected headers and the body', async () => {
    const before = seen.length;
    const { status, json } = await call(relayBody({ cookie: 'SRV=s0' }));
    expect(status).toBe(200);
    expect(seen.length).toBe(before + 1);
    expect(seen.at(-1)).toMatchObject({ cookie: 'SRV=s0', ua: 'stickyscope-probe/test' });
    expect(json.ok).toBe(true);
    if (!json.ok) return;
    expect(json.status).toBe(200);
    expect(json.setCookie).toEqual(['SRV=s1; Path=/; HttpOnly', 'theme=dark']);
    expect(json.headers['x-replica']).toBe('app-1');
    expect(json.headers['x-secret']).toBeUndefined();
    expect(json.bodyPrefix).toBe('Hostname: app-1\n');
    expect(json.upstreamMs).toBeGreaterThan(0);
  });

  it('exposes a header the run names, and keeps the connection alive across calls', async () => {
    const socketsBefore = sockets.size;
    const a = await call(relayBody({ exposeHeaders: ['X-Secret'] }));
    const b = await call(relayBody({ exposeHeaders: ['X-Secret'] }));
    expect(a.json.ok && a.json.headers['x-secret']).toBe('not for the browser');
    expect(b.json.ok).toBe(true);
    // Same transport key as the first test: no new connection at all.
    expect(sockets.size).toBe(socketsBefore);
  });

  it('caps the body at 64 KiB and says it was cut', async () => {
    const { json } = await call(relayBody({ url: `${base}/big` }));
    expect(json.ok).toBe(true);
    if (!json.ok) return;
    expect(json.bodyPrefix.length).toBe(64 * 1024);
    expect(json.bodyPrefix.startsWith('Hostname: big-1')).toBe(true);
    expect(json.bodyTruncated).toBe(true);
    const none = await call(relayBody({ maxBodyBytes: 0 }));
    expect(none.json.ok && none.json.bodyPrefix).toBe('');
  });

  it('refuses a host that is not allowed with 403, naming the setting, without connecting', async () => {
    const before = seen.length;
    const { status, json } = await call(relayBody({ url: 'http://not-allowed.test/' }));
    expect(status).toBe(403);
    expect(json.error?.code).toBe('target-not-allowed');
    expect(json.error?.message).toContain('STICKYSCOPE_ALLOWED_TARGETS');
    const viaOverride = await call(relayBody({ url: 'http://127.0.0.1:9/', resolve: [{ host: '127.0.0.1', port: 9, address: '10.1.2.3' }] }));
    expect(viaOverride.status).toBe(403);
    expect(seen.length).toBe(before);
  });

  it('answers 400 for an invalid body: unknown keys, forbidden headers, not JSON', async () => {
    expect((await call({ ...relayBody(), extra: 1 })).status).toBe(400);
    const host = await call(relayBody({ headers: ['Host', 'elsewhere.example'] }));
    expect(host.status).toBe(400);
    expect(host.json.error?.message).toMatch(/Host/);
    expect((await call(relayBody({ url: 'ftp://127.0.0.1/' }))).status).toBe(400);
    const raw = await POST(new Request('http://dashboard.local/api/relay', { method: 'POST', body: 'nope' }));
    expect(raw.status).toBe(400);
  });

  it('reports a refused connection and a timeout as results, not failures of the relay', async () => {
    const refused = await call(relayBody({ url: `http://127.0.0.1:${closedPort}/` }));
    expect(refused.status).toBe(200);
    expect(refused.json).toMatchObject({ ok: false, error: { code: 'refused' } });
    const hang = await call(relayBody({ url: `${base}/hang`, timeoutMs: 200 }));
    expect(hang.status).toBe(200);
    expect(hang.json).toMatchObject({ ok: false, error: { code: 'timeout' } });
  });

  it('stops the upstream request when the browser goes away', async () => {
    const controller = new AbortController();
    const before = seen.length;
    const pending = call(relayBody({ url: `${base}/hang`, timeoutMs: 60_000 }), controller.signal);
    await vi.waitFor(() => expect(seen.length).toBe(before + 1));
    controller.abort();
    // Well before the 60 s timeout: the upstream request was cut, not waited out.
    const { json } = await pending;
    expect(json).toMatchObject({ ok: false, error: { code: 'aborted' } });
  });
});
