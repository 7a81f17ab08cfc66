// A loopback target that records every byte it receives and answers each request it can parse with a small valid
// HTTP/1.1 response on a kept-alive connection: a Set-Cookie, `x-replica: <name>-<n>` (n counts requests from 1)
// and `x-attack-echo` repeating the request's `x-attack-id`, so a caller can tell whether the answer it got was
// meant for its own request. A request header `x-capture-hold: <name>` holds that answer back until the test calls
// `release(name)`, to keep a request in flight. Bytes that stop being HTTP are recorded as malformed and the
// connection is closed.
import net from 'node:net';
import { parseRequests, type WireRequest } from './http-wire';

export type CaptureServer = {
  name: string;
  port: number;
  /** Bytes received so far, over every connection. */
  bytes(): number;
  /** Every complete request received, in arrival order (n-th request answered as `<name>-<n>`). */
  requests(): readonly WireRequest[];
  /** Why a connection's bytes stopped being HTTP, one entry per such connection. */
  malformed(): readonly string[];
  connections(): number;
  /** Sends the answers held under `name`, and answers later requests held under it at once. */
  release(name: string): void;
  close(): Promise<void>;
};

/** A held answer goes out after this at the latest, so a forgotten release cannot hang a test run. */
const MAX_HOLD_MS = 30_000;

function header(request: WireRequest, name: string): string | undefined {
  return request.headers.find((h) => h.name === name)?.value;
}

function answer(name: string, n: number, request: WireRequest): Buffer {
  const body = request.method === 'HEAD' ? '' : `${name} answered request ${n}\n`;
  const echo = header(request, 'x-attack-id');
  const lines = [
    'HTTP/1.1 200 OK',
    'content-type: text/plain; charset=utf-8',
    `x-replica: ${name}-${n}`,
    ...(echo !== undefined && /^[\x21-\x7e]{1,200}$/.test(echo) ? [`x-attack-echo: ${echo}`] : []),
    `set-cookie: capture=${name}-${n}; Path=/; HttpOnly`,
    `content-length: ${Buffer.byteLength(request.method === 'HEAD' ? `${name} answered request ${n}\n` : body)}`,
    'connection: keep-alive',
  ];
  return Buffer.from(`${lines.join('\r\n')}\r\n\r\n${body}`, 'latin1');
}

export async function startCaptureServer(name: string): Promise<CaptureServer> {
  let received = 0;
  let opened = 0;
  const requests: WireRequest[] = [];
  const malformed: string[] = [];
  const sockets = new Set<net.Socket>();
  const holds = new Map<string, { released: Promise<void>; release: () => void }>();
  const hold = (name: string) => {
    let entry = holds.get(name);
    if (!entry) {
      let release = () => {};
      const released = new Promise<void>((resolve) => {
        release = resolve;
        setTimeout(resolve, MAX_HOLD_MS).unref();
      });
      entry = { released, release };
      holds.set(name, entry);
    }
    return entry;
  };

  const server = net.createServer((socket) => {
    opened++;
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
    let pending = Buffer.alloc(0);
    let broken = false;
    // Answers go out in request order; a held one holds back those behind it on the same connection.
    let queue = Promise.resolve();
    socket.on('data', (chunk: Buffer) => {
      received += chunk.length;
      if (broken) return;
      pending = Buffer.concat([pending, chunk]);
      const parsed = parseRequests(pending);
      pending = Buffer.from(parsed.rest);
      for (const request of parsed.requests) {
        requests.push(request);
        const n = requests.length;
        const held = header(request, 'x-capture-hold');
        queue = queue.then(async () => {
          if (held !== undefined) await hold(held).released;
          if (!socket.destroyed) socket.write(answer(name, n, request));
        });
      }
      if (parsed.malformed) {
        broken = true;
        malformed.push(parsed.malformed);
        queue = queue.then(() => {
          socket.end('HTTP/1.1 400 Bad Request\r\ncontent-length: 0\r\nconnection: close\r\n\r\n');
        });
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;

  return {
    name,
    port,
    bytes: () => received,
    requests: () => requests,
    malformed: () => malformed,
    connections: () => opened,
    release: (holdName) => hold(holdName).release(),
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
