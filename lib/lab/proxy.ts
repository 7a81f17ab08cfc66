import 'server-only';
// A minimal reverse proxy over node:http for the lab balancer and the lbswarm VIP: forwards method, path, headers
// (Host kept, like Traefik's passHostHeader default) and body, and WebSocket upgrades; answers 502 when the server is
// gone.
import http from 'node:http';
import type { Duplex } from 'node:stream';

export type ExtraHeaders = Record<string, string | string[]>;

function withExtra(headers: http.IncomingHttpHeaders, extraHeaders: ExtraHeaders): http.OutgoingHttpHeaders {
  const merged: http.OutgoingHttpHeaders = { ...headers };
  for (const [name, value] of Object.entries(extraHeaders)) {
    const existing = merged[name];
    if (name === 'set-cookie') {
      const list = Array.isArray(existing) ? existing : existing === undefined ? [] : [String(existing)];
      merged[name] = [...list, ...(Array.isArray(value) ? value : [value])];
    } else merged[name] = value;
  }
  return merged;
}

function pick(headers: ExtraHeaders, name: string): ExtraHeaders {
  return headers[name] === undefined ? {} : { [name]: headers[name] };
}

/** Marks every response of the lab balancer, so nobody mistakes it for Traefik. */
export const LAB_BALANCER_HEADER = 'x-stickyscope-lab';

export function forward(req: http.IncomingMessage, res: http.ServerResponse, target: string, agent: http.Agent, extraHeaders: ExtraHeaders = {}): void {
  const url = new URL(target);
  const upstream = http.request(
    { host: url.hostname, port: url.port, method: req.method, path: req.url, headers: req.headers, agent },
    (upstreamRes) => {
      res.writeHead(upstreamRes.statusCode ?? 502, withExtra(upstreamRes.headers, extraHeaders));
      upstreamRes.pipe(res);
    },
  );
  upstream.on('error', () => {
    if (res.headersSent) res.destroy();
    else {
      res.writeHead(502, { 'content-type': 'text/plain', ...pick(extraHeaders, LAB_BALANCER_HEADER) });
      res.end('Bad Gateway');
    }
  });
  req.pipe(upstream);
}

/** Writes a raw HTTP/1.1 response head on a socket taken over by an `upgrade` event. */
function writeHead(socket: Duplex, status: number, message: string, headers: http.OutgoingHttpHeaders): void {
  const lines = [`HTTP/1.1 ${status} ${message}`];
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    for (const v of Array.isArray(value) ? value : [value]) lines.push(`${name}: ${v}`);
  }
  socket.write(`${lines.join('\r\n')}\r\n\r\n`);
}

/** Answers an upgrade request with a plain response and closes the connection. */
export function rejectUpgrade(socket: Duplex, status: number, message: string, extraHeaders: ExtraHeaders = {}): void {
  writeHead(socket, status, message, { ...extraHeaders, connection: 'close', 'content-length': 0 });
  socket.end();
}

/** Forwards an `upgrade` request (WebSocket) and, once the server switches protocols, splices the two sockets. */
export function forwardUpgrade(req: http.IncomingMessage, socket: Duplex, head: Buffer, target: string, extraHeaders: ExtraHeaders = {}): void {
  const url = new URL(target);
  const upstream = http.request({ host: url.hostname, port: url.port, method: req.method, path: req.url, headers: req.headers });
  socket.on('error', () => upstream.destroy());
  upstream.on('upgrade', (upstreamRes, upstreamSocket, upstreamHead) => {
    writeHead(socket, 101, upstreamRes.statusMessage ?? 'Switching Protocols', withExtra(upstreamRes.headers, extraHeaders));
    if (upstreamHead.length > 0) socket.write(upstreamHead);
    if (head.length > 0) upstreamSocket.write(head);
    upstreamSocket.on('error', () => socket.destroy());
    socket.on('close', () => upstreamSocket.destroy());
    upstreamSocket.on('close', () => socket.destroy());
    upstreamSocket.pipe(socket).pipe(upstreamSocket);
  });
  // The server declined to switch protocols: relay its answer, body included, and close.
  upstream.on('response', (upstreamRes) => {
    const headers = withExtra(upstreamRes.headers, extraHeaders);
    delete headers['transfer-encoding'];
    writeHead(socket, upstreamRes.statusCode ?? 502, upstreamRes.statusMessage ?? '', { ...headers, connection: 'close' });
    upstreamRes.pipe(socket);
  });
  upstream.on('error', () => rejectUpgrade(socket, 502, 'Bad Gateway', pick(extraHeaders, LAB_BALANCER_HEADER)));
  upstream.end();
}
