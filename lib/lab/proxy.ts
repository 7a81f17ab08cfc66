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

/** Why Node would refuse to write one of these headers, or null when it writes them all. */
function unwritableHeader(headers: http.OutgoingHttpHeaders): string | null {
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    try {
      http.validateHeaderName(name);
      for (const v of Array.isArray(value) ? value : [value]) http.validateHeaderValue(name, String(v));
    } catch (error) {
      return error instanceof Error ? error.message : String(error);
    }
  }
  return null;
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
      const headers = withExtra(upstreamRes.headers, extraHeaders);
      const unwritable = unwritableHeader(headers);
      if (unwritable) {
        // Answer for a header Node would refuse to write, rather than throw out of this callback.
        upstreamRes.destroy();
        res.writeHead(502, { 'content-type': 'text/plain', ...pick(extraHeaders, LAB_BALANCER_HEADER) });
        res.end(`Bad Gateway: ${unwritable}`);
        return;
      }
      res.writeHead(upstreamRes.statusCode ?? 502, headers);
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

/**
 * Writes a raw HTTP/1.1 response head on a socket taken over by an `upgrade` event, byte for byte (latin1); a 502
 * instead when Node would refuse one of the headers, since nothing else checks them on this path.
 */
function writeHead(socket: Duplex, status: number, message: string, headers: http.OutgoingHttpHeaders): boolean {
  if (unwritableHeader(headers) !== null || /[^\t\x20-\x7e\x80-\xff]/.test(message)) {
    socket.end('HTTP/1.1 502 Bad Gateway\r\nconnection: close\r\ncontent-length: 0\r\n\r\n');
    return false;
  }
  const lines = [`HTTP/1.1 ${status} ${message}`];
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    for (const v of Array.isArray(value) ? value : [value]) lines.push(`${name}: ${v}`);
  }
  socket.write(`${lines.join('\r\n')}\r\n\r\n`, 'latin1');
  return true;
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
    if (!writeHead(socket, 101, upstreamRes.statusMessage ?? 'Switching Protocols', withExtra(upstreamRes.headers, extraHeaders))) {
      upstreamSocket.destroy();
      return;
    }
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
    if (writeHead(socket, upstreamRes.statusCode ?? 502, upstreamRes.statusMessage ?? '', { ...headers, connection: 'close' })) upstreamRes.pipe(socket);
    else upstreamRes.destroy();
  });
  upstream.on('error', () => rejectUpgrade(socket, 502, 'Bad Gateway', pick(extraHeaders, LAB_BALANCER_HEADER)));
  upstream.end();
}
