import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import net from 'node:net';
import { closeRelayTransports, relayTransportCounts } from '@/lib/relay/transports';
import type { RelayRequest, RelayResult } from '@/lib/relay/schema';

// Allowed: every port of 127.0.0.1, and app.example.com on one port only (the "allowed router host" of the attacks).
const APP_PORT = 18_999;
vi.mock('@/lib/env', async () =>
  (await import('@/lib/relay/test/sources')).configAllowing([
    { host: '127.0.0.1', port: null },
    { host: 'app.example.com', port: 18_999 },
  ]),
);
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

const RUN = 'route-test-run-0001';

function relayBody(overrides: Partial<RelayRequest> = {}): RelayRequest {
  return {
    run: RUN,
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

  it('refuses a request without a run id: connections are kept per run', async () => {
    const { run: _run, ...withoutRun } = relayBody();
    const { status, json } = await call(withoutRun);
    expect(status).toBe(400);
    expect(json.error?.message).toMatch(/run/);
  });
});

/** A loopback listener that only counts connections: nothing the relay refuses may ever reach it. */
async function connectionCounter(): Promise<{ port: number; connections: () => number; close: () => Promise<void> }> {
  let count = 0;
  const open = new Set<net.Socket>();
  const srv = net.createServer((socket) => {
    count++;
    open.add(socket);
    socket.on('close', () => open.delete(socket));
    socket.on('error', () => undefined);
  });
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  return {
    port: (srv.address() as AddressInfo).port,
    connections: () => count,
    close: () => {
      for (const s of open) s.destroy();
      return new Promise<void>((r) => srv.close(() => r()));
    },
  };
}

describe('POST /api/relay under attack', () => {
  it('a trailing-dot host with an override to another port cannot reach it (allowlist bypass, SSRF)', async () => {
    const counter = await connectionCounter();
    try {
      // Allowed: app.example.com on APP_PORT only. Each spelling below names the same host on another port.
      for (const host of ['app.example.com.', 'APP.example.com', 'app.example.com']) {
        const { status, json } = await call(
          relayBody({ url: `http://${host}:${counter.port}/`, resolve: [{ host, port: counter.port, address: '127.0.0.1' }] }),
        );
        expect(status, host).toBe(403);
        expect(json.error?.code).toBe('target-not-allowed');
      }
      expect(counter.connections()).toBe(0);
    } finally {
      await counter.close();
    }
  });

  it('an override for a host that is not allowed is refused even beside an allowed target, naming the setting', async () => {
    const { status, json } = await call(relayBody({ resolve: [{ host: 'elsewhere.example', port: 80, address: '127.0.0.1' }] }));
    expect(status).toBe(403);
    expect(json.error?.message).toContain('STICKYSCOPE_ALLOWED_TARGETS');
  });

  it('an override to a metadata address is refused unless the setting names that address', async () => {
    const { status, json } = await call(
      relayBody({ url: `http://app.example.com:${APP_PORT}/`, resolve: [{ host: 'app.example.com.', port: APP_PORT, address: '169.254.169.254' }] }),
    );
    expect(status).toBe(403);
    expect(json.error?.message).toContain('STICKYSCOPE_ALLOWED_TARGETS');
  });

  it('header bytes that would turn into CR LF on the wire are refused before anything is sent (request smuggling)', async () => {
    const before = seen.length;
    const smuggle = 'x\u010d\u010aGET /smuggled HTTP/1.1\u010d\u010aHost: 127.0.0.1\u010d\u010a\u010d\u010a';
    for (const body of [relayBody({ headers: ['x-note', smuggle] }), relayBody({ cookie: `a=${smuggle}` }), relayBody({ headers: ['x-note', 'a\r\nb'] })]) {
      const { status, json } = await call(body);
      expect(status).toBe(400);
      expect(json.error?.code).toBe('invalid-input');
    }
    expect(seen.length).toBe(before);
    // Bytes 0x80–0xFF are legal header bytes and go out unchanged.
    const ok = await call(relayBody({ cookie: 'n=caf\u00e9' }));
    expect(ok.status).toBe(200);
    expect(Buffer.from(seen.at(-1)!.cookie ?? '', 'latin1')).toEqual(Buffer.from([0x6e, 0x3d, 0x63, 0x61, 0x66, 0xe9]));
  });

  it("one run's traffic to many destinations never closes another run's request in flight", async () => {
    const before = seen.length;
    const slow = call(relayBody({ run: 'victim-run-00000001', url: `${base}/hang`, timeoutMs: 1500 }));
    await vi.waitFor(() => expect(seen.length).toBe(before + 1));
    // A flood of other runs: each is its own transport; none of them may evict the victim's.
    const flood = await Promise.all(
      Array.from({ length: 40 }, (_, i) => call(relayBody({ run: `flood-run-${String(i).padStart(8, '0')}`, timeoutMs: 1000 + i }))),
    );
    expect(flood.every((r) => r.status === 200 || r.status === 503)).toBe(true);
    expect(relayTransportCounts().busy).toBeGreaterThanOrEqual(1);
    // The victim's request ends by its own timeout, not by a reset from someone else's eviction.
    expect((await slow).json).toMatchObject({ ok: false, error: { code: 'timeout' } });
  });
});
