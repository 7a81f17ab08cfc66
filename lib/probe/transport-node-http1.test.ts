// The Node transport's own HTTP/1.1 handling, against a raw TCP server on 127.0.0.1 that answers with exact bytes:
// chunked bodies, read-until-close bodies, interim 1xx responses, HEAD, malformed heads, stale keep-alive sockets.
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createNodeTransport, type NodeTransportOptions } from './transport-node';
import type { TransportResult } from './types';
import { toProbeUrl } from './url';

type Responder = (socket: net.Socket, requestHead: string) => void;

const routes = new Map<string, Responder>();
const heads: string[] = [];
let port = 0;
let server: net.Server;
let accepted = 0;
const sockets = new Set<net.Socket>();

beforeAll(async () => {
  server = net.createServer((socket) => {
    accepted++;
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
    let buffered = '';
    socket.setEncoding('latin1').on('data', (d: string) => {
      buffered += d;
      let end: number;
      while ((end = buffered.indexOf('\r\n\r\n')) !== -1) {
        const head = buffered.slice(0, end);
        buffered = buffered.slice(end + 4);
        const length = /\r\ncontent-length: (\d+)/i.exec(head);
        if (length) buffered = buffered.slice(Number(length[1]));
        heads.push(head);
        const path = head.split(' ')[1] ?? '/';
        const respond = routes.get(path.split('?')[0]!);
        if (respond) respond(socket, head);
        else socket.write('HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n');
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as net.AddressInfo).port;

  routes.set('/chunked', (s) =>
    s.write('HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nSet-Cookie: a=1\r\nSet-Cookie: b=2\r\n\r\n7\r\nHostnam\r\n9;ext=1\r\ne: app-1\n\r\n0\r\nX-Trailer: t\r\n\r\n'),
  );
  routes.set('/close-delimited', (s) => {
    s.write('HTTP/1.0 200 OK\r\nX-Replica: app-2\r\n\r\nHostname: app-2\n');
    s.end();
  });
  routes.set('/interim', (s) => s.write('HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 103 Early Hints\r\nLink: </x>\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok'));
  routes.set('/head', (s) => s.write('HTTP/1.1 200 OK\r\nContent-Length: 1000\r\nX-Replica: app-3\r\n\r\n'));
  routes.set('/garbled', (s) => s.write('HTCPCP/1.0 418 I am a teapot\r\n\r\n'));
  routes.set('/bad-length', (s) => s.write('HTTP/1.1 200 OK\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\nhello!'));
  routes.set('/no-colon', (s) => s.write('HTTP/1.1 200 OK\r\nthis is not a header\r\n\r\n'));
  routes.set('/split', (s) => {
    // The head arrives in three writes, the body in two.
    s.write('HTTP/1.1 200 OK\r\nContent-Le');
    setImmediate(() => s.write('ngth: 16\r\nX-Replica: ap'));
    setImmediate(() => setImmediate(() => s.write('p-4\r\n\r\nHostname')));
    setImmediate(() => setImmediate(() => setImmediate(() => s.write(': app-4\n'))));
  });
  routes.set('/once-then-close', (s) => {
    // Answers, then closes the kept-alive connection right away, as a server whose keep-alive timeout ran out.
    s.write('HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok', () => s.destroy());
  });
  routes.set('/latin1-cookie', (s) => s.write(Buffer.concat([Buffer.from('HTTP/1.1 200 OK\r\nSet-Cookie: n=caf'), Buffer.from([0xe9, 0xff]), Buffer.from('\r\nContent-Length: 0\r\n\r\n')])));
  routes.set('/echo-head', (s, head) => {
    const body = Buffer.from(head, 'latin1');
    s.write(`HTTP/1.1 200 OK\r\nContent-Length: ${body.length}\r\n\r\n`);
    s.write(body);
  });
});

afterAll(async () => {
  for (const s of sockets) s.destroy();
  await new Promise((resolve) => server.close(resolve));
});

async function send(path: string, over: { method?: string; cookie?: string | null; body?: string | null } = {}, opts: NodeTransportOptions = {}): Promise<TransportResult> {
  const t = createNodeTransport({ timeoutMs: 2000, ...opts });
  try {
    return await t.send({
      url: toProbeUrl(`http://127.0.0.1:${port}${path}`),
      method: over.method ?? 'GET',
      headers: ['user-agent', 'test'],
      cookieHeader: over.cookie ?? null,
      body: over.body ?? null,
    });
  } finally {
    await t.close();
  }
}

describe('NodeTransport HTTP/1.1', () => {
  it('decodes a chunked body with extensions and trailers; keeps every Set-Cookie', async () => {
    expect(await send('/chunked')).toMatchObject({ ok: true, status: 200, setCookie: ['a=1', 'b=2'], bodyPrefix: 'Hostname: app-1\n', bodyTruncated: false });
  });

  it('reads a body delimited by the connection closing (HTTP/1.0)', async () => {
    expect(await send('/close-delimited')).toMatchObject({ ok: true, status: 200, headers: { 'x-replica': 'app-2' }, bodyPrefix: 'Hostname: app-2\n' });
  });

  it('skips interim 1xx responses', async () => {
    expect(await send('/interim')).toMatchObject({ ok: true, status: 200, bodyPrefix: 'ok' });
  });

  it('reads no body for HEAD, whatever Content-Length says', async () => {
    expect(await send('/head', { method: 'HEAD' })).toMatchObject({ ok: true, status: 200, bodyPrefix: '', headers: { 'x-replica': 'app-3' } });
  });

  it('reassembles a head and body split over several packets', async () => {
    expect(await send('/split')).toMatchObject({ ok: true, headers: { 'x-replica': 'app-4' }, bodyPrefix: 'Hostname: app-4\n' });
  });

  it.each(['/garbled', '/bad-length', '/no-colon'])('reports %s as a protocol error', async (path) => {
    const r = await send(path);
    expect(r).toMatchObject({ ok: false, error: { code: 'protocol' } });
  });

  it('caps a chunked body too', async () => {
    expect(await send('/chunked', {}, { maxBodyBytes: 4 })).toMatchObject({ ok: true, bodyPrefix: 'Host', bodyTruncated: true });
  });

  it('sends Host with the port, the headers, the Cookie header and a body with its length', async () => {
    const r = await send('/echo-head?q=1', { method: 'POST', cookie: 'SRV=r1; a=b', body: 'héllo' });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const lines = r.bodyPrefix.split('\r\n');
    expect(lines[0]).toBe('POST /echo-head?q=1 HTTP/1.1');
    expect(lines).toEqual(expect.arrayContaining([`host: 127.0.0.1:${port}`, 'user-agent: test', 'cookie: SRV=r1; a=b', 'content-length: 6']));
  });

  it('recovers when the server closes each kept-alive connection after one answer', async () => {
    const t = createNodeTransport({ timeoutMs: 2000 });
    const req = { url: toProbeUrl(`http://127.0.0.1:${port}/once-then-close`), method: 'GET', headers: [] as string[], cookieHeader: null, body: null };
    try {
      const before = accepted;
      const results = [];
      for (let i = 0; i < 5; i++) results.push(await t.send(req));
      expect(results.every((r) => r.ok && r.status === 200)).toBe(true);
      expect(accepted - before).toBe(5);
    } finally {
      await t.close();
    }
  });

  it('queues requests beyond the connection limit and serves them all', async () => {
    const t = createNodeTransport({ timeoutMs: 2000, connections: 2 });
    const req = { url: toProbeUrl(`http://127.0.0.1:${port}/chunked`), method: 'GET', headers: [] as string[], cookieHeader: null, body: null };
    try {
      const before = accepted;
      const results = await Promise.all(Array.from({ length: 10 }, () => t.send(req)));
      expect(results.every((r) => r.ok && r.bodyPrefix === 'Hostname: app-1\n')).toBe(true);
      expect(accepted - before).toBeLessThanOrEqual(2);
    } finally {
      await t.close();
    }
  });

  it('a closed transport answers aborted', async () => {
    const t = createNodeTransport();
    await t.close();
    const r = await t.send({ url: toProbeUrl(`http://127.0.0.1:${port}/chunked`), method: 'GET', headers: [], cookieHeader: null, body: null });
    expect(r).toMatchObject({ ok: false, error: { code: 'aborted' } });
  });

  it('reads a head byte for byte, so a Set-Cookie value goes back in the Cookie header unchanged', async () => {
    const r = await send('/latin1-cookie');
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const value = r.setCookie[0]!.slice('n='.length);
    const before = heads.length;
    expect(await send('/echo-head', { cookie: `n=${value}` })).toMatchObject({ ok: true });
    expect(Buffer.from(heads[before]!, 'latin1').includes(Buffer.from([0x63, 0x61, 0x66, 0xe9, 0xff]))).toBe(true);
  });

  it('never sends a head whose characters are not bytes, whatever the caller checked (second line of defence)', async () => {
    const before = heads.length;
    const acceptedBefore = accepted;
    const t = createNodeTransport({ timeoutMs: 2000 });
    const url = toProbeUrl(`http://127.0.0.1:${port}/echo-head`);
    try {
      const injected = await t.send({ url, method: 'GET', headers: ['x-note', 'a\u010d\u010aGET /smuggled HTTP/1.1'], cookieHeader: null, body: null });
      expect(injected).toMatchObject({ ok: false, error: { code: 'other' } });
      if (!injected.ok) expect(injected.error.message).toMatch(/not sent: the value of header x-note has U\+010D/);
      const cookie = await t.send({ url, method: 'GET', headers: [], cookieHeader: 'a=\r\nb', body: null });
      expect(cookie).toMatchObject({ ok: false, error: { code: 'other' } });
      const name = await t.send({ url, method: 'GET', headers: ['x note', '1'], cookieHeader: null, body: null });
      expect(name).toMatchObject({ ok: false, error: { code: 'other' } });
      const method = await t.send({ url, method: 'GET / HTTP/1.1\r\n', headers: [], cookieHeader: null, body: null });
      expect(method).toMatchObject({ ok: false, error: { code: 'other' } });
    } finally {
      await t.close();
    }
    expect(heads.length).toBe(before);
    expect(accepted).toBe(acceptedBefore);
  });

  it('refuses to connect where a hostname resolves to an address the guard refuses', async () => {
    const t = createNodeTransport({ timeoutMs: 2000, allowAddress: (address) => !address.startsWith('127.') && address !== '::1' });
    const acceptedBefore = accepted;
    try {
      const r = await t.send({ url: toProbeUrl(`http://localhost:${port}/chunked`), method: 'GET', headers: [], cookieHeader: null, body: null });
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.error.message).toMatch(/localhost resolves to .*an address the relay does not reach/);
    } finally {
      await t.close();
    }
    expect(accepted).toBe(acceptedBefore);
  });
});
