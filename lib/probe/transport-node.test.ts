// Integration: the Node transport and the engine against a real HTTP server on 127.0.0.1 that plays three replicas
// behind a round-robin or cookie-insert balancer (the real HAProxy lab comes later).
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runProbe } from './engine';
import { parseProbeSpec, type ProbeSpecInput } from './spec';
import { createNodeTransport, toProbeError, type NodeTransport } from './transport-node';
import { toProbeUrl } from './url';

const REPLICAS = ['app-1', 'app-2', 'app-3'];
const BIG = 50 * 1024 * 1024;

let server: http.Server;
let port: number;
let rr = 0;
let connections = 0;
const hosts: string[] = [];
const hung: http.ServerResponse[] = [];
let bigSent: Promise<number> = Promise.resolve(0);

function balance(req: http.IncomingMessage, res: http.ServerResponse, cookieAttrs: string | null) {
  const m = cookieAttrs === null ? null : /(?:^|; )SRV=s(\d)/.exec(req.headers.cookie ?? '');
  const i = m ? Number(m[1]) : rr++ % REPLICAS.length;
  if (cookieAttrs !== null && !m) res.setHeader('Set-Cookie', `SRV=s${i}; Path=/; HttpOnly${cookieAttrs}`);
  res.end(`Hostname: ${REPLICAS[i]}\nIP: 127.0.0.1\n`);
}

beforeAll(async () => {
  server = http.createServer((req, res) => {
    hosts.push(req.headers.host ?? '');
    const path = (req.url ?? '/').split('?')[0];
    switch (path) {
      case '/rr':
        return balance(req, res, null);
      case '/sticky':
        return balance(req, res, '');
      case '/sticky-secure':
        return balance(req, res, '; Secure');
      case '/hang':
        hung.push(res);
        return;
      case '/redirect':
        res.writeHead(302, { Location: '/rr', 'Set-Cookie': 'r=1' });
        return res.end();
      case '/garbage':
        res.setHeader('Set-Cookie', ['=', ';;;', 'noequals', 'a=1; Domain=other.example', '__Host-x=1', `big=${'y'.repeat(5000)}`, 'ok=1; Expires=not a date']);
        return res.end('Hostname: app-1\n');
      case '/big': {
        bigSent = new Promise<number>((resolve) => {
          let sent = 0;
          const chunk = Buffer.alloc(64 * 1024, 'x');
          res.writeHead(200, { 'content-type': 'text/plain', 'x-replica': 'app-big' });
          const pump = () => {
            while (sent < BIG) {
              sent += chunk.length;
              if (!res.write(chunk)) return void res.once('drain', pump);
            }
            res.end();
          };
          res.on('close', () => resolve(sent));
          pump();
        });
        return;
      }
      default:
        res.statusCode = 404;
        res.end();
    }
  });
  server.on('connection', () => connections++);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
});

afterAll(async () => {
  for (const res of hung) res.destroy();
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

const spec = (path: string, over: Partial<ProbeSpecInput> = {}) =>
  parseProbeSpec({ target: `http://127.0.0.1:${port}${path}`, intervalMs: 0, timeoutMs: 5000, ...over });

async function withTransport<T>(opts: Parameters<typeof createNodeTransport>[0], fn: (t: NodeTransport) => Promise<T>): Promise<T> {
  const t = createNodeTransport(opts);
  try {
    return await fn(t);
  } finally {
    await t.close();
  }
}

const request = (href: string, cookieHeader: string | null = null) => ({
  url: toProbeUrl(href),
  method: 'GET',
  headers: ['user-agent', 'test'],
  cookieHeader,
  body: null,
});

describe('Node transport + engine on a real local server', () => {
  it('cookie-insert balancer: PASS 100/100 on one replica, over one kept-alive connection', async () => {
    const before = connections;
    const r = await withTransport({}, (t) => runProbe(spec('/sticky'), t));
    expect(r.verdict.status).toBe('pass');
    expect(Object.values(r.verdict.replicas)).toEqual([100]);
    expect(r.cookies.balancerCookie).toBe('SRV');
    expect(connections - before).toBe(1);
  });

  it('round robin: FAIL at request 2 with a third each', async () => {
    const r = await withTransport({}, (t) => runProbe(spec('/rr', { requests: 90 }), t));
    expect(r.verdict).toMatchObject({ status: 'fail', firstBreakAt: 2, replicas: { 'app-1': 30, 'app-2': 30, 'app-3': 30 } });
    expect(r.diagnosis[0]!.code).toBe('no-balancer-cookie');
  });

  it('concurrency 4 on the sticky backend keeps records in order and settles on one replica', async () => {
    const r = await withTransport({ connections: 4 }, (t) => runProbe(spec('/sticky', { requests: 200, concurrency: 4 }), t));
    expect(r.records.map((x) => x.index)).toEqual(Array.from({ length: 200 }, (_, i) => i + 1));
    const tail = r.records.slice(20).map((x) => x.replica);
    expect(new Set(tail).size).toBe(1);
  });

  it('--resolve with a .test name: Secure cookies over http are really dropped', async () => {
    const s = spec('/sticky-secure', { target: `http://app.test:${port}/sticky-secure`, resolve: [`app.test:${port}:127.0.0.1`], requests: 12 });
    hosts.length = 0;
    const r = await withTransport({ resolve: s.resolve }, (t) => runProbe(s, t));
    expect(hosts.every((h) => h === `app.test:${port}`)).toBe(true);
    expect(r.records[0]!.setCookies[0]).toMatchObject({ name: 'SRV', outcome: 'rejected', reason: 'secure-over-http' });
    expect(r.records.every((x) => x.cookieSent.length === 0)).toBe(true);
    expect(r.verdict).toMatchObject({ status: 'fail', firstBreakAt: 2 });
    expect(r.diagnosis[0]!.message).toBe(
      'cookie `SRV` was set with `Secure` on an http target; browsers never send it back, so each request was balanced anew (first break at request 2)',
    );
  });

  it('the same backend reached as 127.0.0.1 passes, and the report says loopback hid the problem', async () => {
    const r = await withTransport({}, (t) => runProbe(spec('/sticky-secure', { requests: 12 }), t));
    expect(r.verdict.status).toBe('pass');
    expect(r.records[0]!.setCookies[0]).toMatchObject({ outcome: 'stored', secureVia: 'loopback' });
    expect(r.diagnosis.map((d) => d.code)).toContain('loopback-hides-secure');
  });

  it('refused connection', async () => {
    const closed = http.createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const deadPort = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const r = await withTransport({}, (t) => runProbe(spec('/', { target: `http://127.0.0.1:${deadPort}/`, requests: 3 }), t));
    expect(r.records.map((x) => x.error?.code)).toEqual(['refused', 'refused', 'refused']);
    expect(r.diagnosis[0]).toMatchObject({ code: 'errors', severity: 'error', message: '3 of 3 requests failed: 3× refused' });
  });

  it('a server that never answers times out per request', async () => {
    const res = await withTransport({ timeoutMs: 300 }, (t) => t.send(request(`http://127.0.0.1:${port}/hang`)));
    expect(res).toMatchObject({ ok: false, error: { code: 'timeout', message: 'timed out waiting for the response' } });
  });

  it('a 50 MB body is read up to the cap and the connection dropped', async () => {
    const res = await withTransport({}, (t) => t.send(request(`http://127.0.0.1:${port}/big`)));
    expect(res.ok).toBe(true);
    if (!res.ok) return;
    expect(res.bodyTruncated).toBe(true);
    expect(res.bodyPrefix.length).toBe(64 * 1024);
    expect(res.headers['x-replica']).toBe('app-big');
    expect(await bigSent).toBeLessThan(BIG / 4);
  });

  it('garbage Set-Cookie lines are rejected one by one; the request still counts', async () => {
    const r = await withTransport({}, (t) => runProbe(spec('/garbage', { requests: 1 }), t));
    const events = r.records[0]!.setCookies.map((e) => `${e.name || '(nameless)'}:${e.outcome}:${e.reason ?? ''}`);
    expect(events).toEqual([
      '(nameless):rejected:empty',
      '(nameless):rejected:empty',
      '(nameless):stored:',
      'a:rejected:domain-mismatch',
      '__Host-x:rejected:host-prefix',
      'big:rejected:too-large',
      'ok:stored:',
    ]);
    expect(r.records[0]).toMatchObject({ status: 200, replica: 'app-1', error: null });
  });

  it('does not follow redirects', async () => {
    const res = await withTransport({}, (t) => t.send(request(`http://127.0.0.1:${port}/redirect`)));
    expect(res).toMatchObject({ ok: true, status: 302, setCookie: ['r=1'], headers: { location: '/rr' } });
  });

  it('aborting a hung request resolves it as aborted', async () => {
    const controller = new AbortController();
    const res = await withTransport({ timeoutMs: 60_000 }, async (t) => {
      const p = t.send(request(`http://127.0.0.1:${port}/hang`), controller.signal);
      controller.abort();
      return p;
    });
    expect(res).toMatchObject({ ok: false, error: { code: 'aborted' } });
  });
});

describe('toProbeError', () => {
  it('maps Node and undici codes, including nested causes', () => {
    expect(toProbeError(Object.assign(new Error('x'), { code: 'ENOTFOUND' })).code).toBe('dns');
    expect(toProbeError(new Error('fetch failed', { cause: Object.assign(new Error('r'), { code: 'ECONNRESET' }) })).code).toBe('reset');
    expect(toProbeError(Object.assign(new Error('cert'), { code: 'DEPTH_ZERO_SELF_SIGNED_CERT' })).code).toBe('tls');
    expect(toProbeError(new AggregateError([Object.assign(new Error('r'), { code: 'ECONNREFUSED' })])).code).toBe('refused');
    expect(toProbeError('weird').code).toBe('other');
  });
});
