// The server's front door on a real dashboard process (scripts/start.mjs, the built app, the embedded demo lab): one
// named test per attack it closes. Requests go through node:http, which sends the Host and Origin headers a browser
// on another site (or a rebinding page) would.
import http from 'node:http';
import net from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDashboard, stopDashboard, type DashboardProcess } from './dashboard-health';

const dir = mkdtempSync(path.join(os.tmpdir(), 'stickyscope-front-door-'));
const PUBLIC_URL = 'https://stickyscope.example.com';
let dashboard: DashboardProcess | undefined;
let port = 0;

type Answer = { status: number; headers: http.IncomingHttpHeaders; body: string };

/** One request to the dashboard on `address` (127.0.0.1 or ::1), with exactly the headers given plus Host. */
function send(target: string, options: { method?: string; host?: string; headers?: Record<string, string>; body?: string; address?: string } = {}): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: options.address ?? '127.0.0.1',
        port,
        method: options.method ?? 'GET',
        path: target,
        headers: { host: options.host ?? `127.0.0.1:${port}`, ...options.headers },
        timeout: 30_000,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
      },
    );
    req.on('error', reject);
    req.on('timeout', () => req.destroy(new Error(`${target} did not answer`)));
    req.end(options.body);
  });
}

const json = (body: unknown) => ({ method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

/** A file the pages load from /_next/static/, found in the overview's HTML. */
async function staticAsset(): Promise<string> {
  const page = await send('/');
  const src = /(\/_next\/static\/[^"]+\.js)/.exec(page.body)?.[1];
  expect(src, 'a script under /_next/static/ in the overview').toBeDefined();
  return src ?? '';
}

beforeAll(async () => {
  dashboard = await startDashboard({
    STICKYSCOPE_LAB: '1',
    STICKYSCOPE_DOCKER: 'off',
    STICKYSCOPE_DB_PATH: path.join(dir, 'reports.db'),
    STICKYSCOPE_PUBLIC_URL: PUBLIC_URL,
    // The test itself is the "proxy" when it connects from 127.0.0.1; from ::1 it is an untrusted client.
    STICKYSCOPE_TRUSTED_PROXIES: '127.0.0.1/32',
    STICKYSCOPE_EXPERIMENTS: '1',
    STICKYSCOPE_EXPERIMENT_SERVICES: 'sticky-ok',
  });
  port = Number(new URL(dashboard.base).port);
}, 600_000);

afterAll(async () => {
  await stopDashboard(dashboard);
  rmSync(dir, { recursive: true, force: true });
});

describe('front door', () => {
  it('DNS rebinding: a foreign Host gets 421 on a page, the API, a static file and the direct relay route', async () => {
    const asset = await staticAsset();
    const calls: [string, Parameters<typeof send>[1]][] = [
      ['/', {}],
      ['/api/topology', {}],
      [asset, {}],
      ['/api/relay', json({})],
    ];
    for (const [target, options] of calls) {
      const rebound = await send(target, { ...options, host: `attacker.example:${port}` });
      expect(rebound.status, target).toBe(421);
      expect(rebound.body, target).toMatch(/STICKYSCOPE_PUBLIC_URL or STICKYSCOPE_ALLOWED_HOSTS/);
      expect(rebound.body, target).not.toContain('sticky-ok');
      // The same request by the dashboard's own name is served (the relay answers an empty request with a 400).
      expect((await send(target, options)).status, target).toBeLessThan(421);
    }
    expect((await send('/api/topology', { host: `localhost:${port}` })).status).toBe(200);
    expect((await send('/api/topology', { host: '127.0.0.1' })).status, 'a Host without a port means port 80').toBe(421);
  });

  it("answers the public URL's name, which a proxy forwards without a port", async () => {
    expect((await send('/api/health', { host: 'stickyscope.example.com' })).status).toBe(200);
    expect((await send('/api/health', { host: 'stickyscope.example.com:443' })).status).toBe(200);
    expect((await send('/api/health', { host: 'stickyscope.example.com:8443' })).status).toBe(421);
  });

  it("a cross-site form post to the lab's reset is refused with 403; the dashboard's own page may reset", async () => {
    const form = { 'content-type': 'application/x-www-form-urlencoded' };
    const crossSite = await send('/api/lab/services/no-sticky/reset', {
      method: 'POST',
      headers: { ...form, origin: 'http://attacker.example', 'sec-fetch-site': 'cross-site' },
      body: 'x=1',
    });
    expect(crossSite.status).toBe(403);
    expect(JSON.parse(crossSite.body)).toMatchObject({ error: { code: 'cross-site' } });
    const noFetchMetadata = await send('/api/lab/services/no-sticky/reset', { method: 'POST', headers: { ...form, origin: 'null' }, body: 'x=1' });
    expect(noFetchMetadata.status).toBe(403);
    const ownPage = await send('/api/lab/services/no-sticky/reset', {
      method: 'POST',
      headers: { origin: `http://127.0.0.1:${port}`, 'sec-fetch-site': 'same-origin' },
    });
    expect(ownPage.status).toBe(200);
    expect(JSON.parse(ownPage.body)).toMatchObject({ service: { name: 'no-sticky' } });
  });

  it('share links come from STICKYSCOPE_PUBLIC_URL: X-Forwarded-Host and a javascript: X-Forwarded-Proto are ignored', async () => {
    const run = await send('/api/reports/runs', json({ spec: { target: 'http://sticky-ok.lab.test/' }, startedAt: Date.now(), serviceId: null }));
    expect(run.status).toBe(201);
    const { id } = JSON.parse(run.body) as { id: string };
    const share = await send(`/api/reports/${id}/shares`, {
      ...json({ expiresInHours: null }),
      headers: { 'content-type': 'application/json', 'x-forwarded-host': 'attacker.example', 'x-forwarded-proto': 'javascript' },
    });
    expect(share.status).toBe(201);
    const { shareUrl } = JSON.parse(share.body) as { shareUrl: string };
    expect(shareUrl).toMatch(/^https:\/\/stickyscope\.example\.com\/r\/[A-Za-z0-9_-]{22}$/);
  });

  it('puts the security headers on a page, a JSON route, a static file, the relay route and a refusal', async () => {
    const page = await send('/');
    const nonce = /'nonce-([^']+)'/.exec(String(page.headers['content-security-policy']))?.[1];
    expect(nonce, 'a nonce in the page policy').toBeDefined();
    expect(page.body).toContain(`nonce="${nonce}"`);
    expect(page.headers['content-security-policy']).not.toContain('unsafe-eval');
    expect((await send('/')).headers['content-security-policy']).not.toContain(`'nonce-${nonce}'`);
    const answers = {
      page,
      json: await send('/api/topology'),
      asset: await send(await staticAsset()),
      relay: await send('/api/relay', json({})),
      misdirected: await send('/api/topology', { host: 'attacker.example' }),
    };
    for (const [name, answer] of Object.entries(answers)) {
      expect(answer.headers['content-security-policy'], name).toMatch(/frame-ancestors 'none'/);
      expect(answer.headers['x-content-type-options'], name).toBe('nosniff');
      expect(answer.headers['x-frame-options'], name).toBe('DENY');
      expect(answer.headers['referrer-policy'], name).toBe('same-origin');
      expect(answer.headers['permissions-policy'], name).toMatch(/camera=\(\).*microphone=\(\).*geolocation=\(\)/);
    }
    expect((await send('/r/AAAAAAAAAAAAAAAAAAAAAA')).headers['referrer-policy'], 'share pages keep their own').toBe('no-referrer');
  });

  it('%ff and other malformed paths answer 400 with a message, never 500', async () => {
    for (const target of ['/reports/%ff', '/api/reports/%E0%A4%A', '/r/%ff', '/services/%C0%AF', '/%2e%2e/api/reports', '//attacker.example/']) {
      const answer = await send(target);
      expect(answer.status, target).toBe(400);
      expect(answer.body, target).toMatch(/path/);
    }
  });

  it('requests Node cannot parse, or with two Host headers, get 400 with the security headers', async () => {
    const raw = (text: string) =>
      new Promise<string>((resolve, reject) => {
        const socket = net.connect(port, '127.0.0.1', () => socket.end(text));
        let received = '';
        socket.on('data', (chunk) => (received += chunk.toString('latin1')));
        socket.on('close', () => resolve(received));
        socket.on('error', reject);
      });
    for (const text of [
      'GARBAGE\r\n\r\n',
      `GET /api/topology HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nHost: attacker.example\r\nConnection: close\r\n\r\n`,
      `GET /api/topology HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nX-Bad: a\x01b\r\n\r\n`,
    ]) {
      const answer = await raw(text);
      expect(answer, JSON.stringify(text)).toMatch(/^HTTP\/1\.1 400 /);
      expect(answer).toMatch(/\r\nX-Content-Type-Options: nosniff\r\n/i);
    }
  });

  it('a spoofed X-Forwarded-For is not recorded as who; a trusted proxy is walked past to the first untrusted hop', async () => {
    const lastWho = async () => {
      const status = JSON.parse((await send('/api/experiments')).body) as { log: { who: string }[] };
      return status.log[0]?.who ?? '';
    };
    // From ::1, which is no trusted proxy: the header is the client's own claim.
    const spoofed = await send('/api/experiments', {
      method: 'POST',
      address: '::1',
      host: `[::1]:${port}`,
      headers: { 'content-type': 'application/json', 'x-forwarded-for': '203.0.113.66', 'x-real-ip': '203.0.113.66', 'x-stickyscope-peer': '203.0.113.66' },
      body: '{}',
    });
    expect(spoofed.status).toBe(400);
    expect(await lastWho()).toMatch(/^dashboard ::1 \(/);
    // From 127.0.0.1, the trusted proxy: its own entry (the rightmost) is the client; the spoofed leftmost one is not.
    await send('/api/experiments', { ...json({}), headers: { 'content-type': 'application/json', 'x-forwarded-for': '203.0.113.66, 198.51.100.9' } });
    expect(await lastWho()).toMatch(/^dashboard 198\.51\.100\.9 \(/);
  });
});
