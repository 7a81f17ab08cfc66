#!/usr/bin/env node
// The server: Next.js behind a plain node:http server, in production (`npm start`) and, with --dev, in development
// (`npm run dev`). Every request first passes the front door the app hands over at start-up (lib/web/front.ts,
// through instrumentation-node.ts): Host names, cross-site writes, malformed paths, security headers, peer address.
// Then it goes to Next, except the few routes the app registers as direct: POST /api/relay is on the hot path of
// every browser probe request, and answering it here skips the framework's per-request work, which costs more than
// the relay itself. With STICKYSCOPE_SHARE_PORT a second listener serves share pages only.
import { EventEmitter } from 'node:events';
import http from 'node:http';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const dev = process.argv.includes('--dev');

// React and Next pick their builds from NODE_ENV when first loaded, so it is set before the import.
process.env.NODE_ENV = dev ? 'development' : 'production';
const { default: next } = await import('next');
// Next would listen for upgrades (its development HMR socket) on the server itself, past the front door; it listens
// here instead, and the server hands it only the upgrades the front admits, in development.
const upgrades = new EventEmitter();
const app = next({ dev, dir: root, port: Number(process.env.PORT) || 3000, httpServer: upgrades });
const handle = app.getRequestHandler();

/** Keeps at most `limit` + one chunk of bytes, so an oversized body is recognised without being buffered whole. */
function readBody(req, limit) {
  return new Promise((resolve, reject) => {
    const chunks = [];
    let size = 0;
    req.on('data', (chunk) => {
      if (size > limit) return;
      size += chunk.length;
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

async function serveDirect(route, req, res) {
  const abort = new AbortController();
  res.on('close', () => {
    if (!res.writableFinished) abort.abort();
  });
  try {
    const body = await readBody(req, route.maxBodyBytes);
    const response = await route.respond(body, req.headers['content-type'] ?? null, abort.signal);
    const payload = Buffer.from(await response.arrayBuffer());
    res.writeHead(response.status, { ...Object.fromEntries(response.headers), 'content-length': payload.length });
    res.end(payload);
  } catch (error) {
    console.error(error);
    if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json', 'cache-control': 'no-store' });
    res.end(JSON.stringify({ error: { code: 'internal', message: 'the relay failed' } }));
  }
}

/** A whole HTTP/1.1 response for a socket that has no ServerResponse (refused upgrades, unparsable requests). */
function rawResponse(status, headers, body) {
  const lines = Object.entries({ ...headers, 'Content-Length': Buffer.byteLength(body), Connection: 'close' }).map(([k, v]) => `${k}: ${v}`);
  return `HTTP/1.1 ${status} ${http.STATUS_CODES[status]}\r\n${lines.join('\r\n')}\r\n\r\n${body}`;
}

// Next runs instrumentation-node.ts at start-up, which hands over the front door and the direct routes; in
// production that happens only after prepare() resolves. Nothing is served before both are done.
const REGISTER_DEADLINE_MS = 120_000;
const [parts] = await Promise.all([
  new Promise((resolve, reject) => {
    globalThis.stickyscopeServer = { register: resolve };
    setTimeout(() => reject(new Error('the app did not hand over its front door (instrumentation-node.ts)')), REGISTER_DEADLINE_MS).unref();
  }),
  app.prepare(),
]);
const front = parts.createFront({ dev });

function listen(listener, port) {
  const server = http.createServer((req, res) => {
    const answer = front.admit(listener, { method: req.method, url: req.url, headers: req.headers, rawHeaders: req.rawHeaders, peer: req.socket.remoteAddress });
    for (const [name, value] of Object.entries(answer.headers)) res.setHeader(name, value);
    if (!answer.admitted) {
      res.statusCode = answer.status;
      res.end(answer.body);
      return;
    }
    Object.assign(req.headers, answer.requestHeaders);
    const route = listener === 'main' ? parts.directRoutes[`${req.method} ${req.url}`] : undefined;
    if (route) void serveDirect(route, req, res);
    else void handle(req, res);
  });
  server.on('upgrade', (req, socket, head) => {
    const answer = front.admit(listener, { method: req.method, url: req.url, headers: req.headers, rawHeaders: req.rawHeaders, peer: req.socket.remoteAddress, upgrade: true });
    // Only development has upgrades to serve (its HMR socket); Next listens once a first request went through.
    if (!answer.admitted || !dev || upgrades.listenerCount('upgrade') === 0) {
      socket.end(rawResponse(answer.admitted ? 404 : answer.status, answer.headers, answer.admitted ? 'no upgrade here\n' : answer.body));
      return;
    }
    Object.assign(req.headers, answer.requestHeaders);
    upgrades.emit('upgrade', req, socket, head);
  });
  // Requests Node cannot parse (bad request line, header bytes, oversized head) still get a 4xx with the headers.
  server.on('clientError', (error, socket) => {
    if (!socket.writable || error.code === 'ECONNRESET') return socket.destroy();
    const status = error.code === 'HPE_HEADER_OVERFLOW' ? 431 : error.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? 408 : 400;
    // A HEAD request's answer has no body, or the client would read the message as the start of its next response.
    const head = error.rawPacket?.subarray(0, 5).toString('latin1') === 'HEAD ';
    const message = head ? '' : `${http.STATUS_CODES[status]}: the request could not be parsed (${error.code ?? 'malformed'})\n`;
    socket.end(rawResponse(status, { ...front.baseHeaders, 'Content-Type': 'text/plain; charset=utf-8' }, message));
  });
  server.listen(port, () => {
    console.log(`stickyscope: ${listener === 'share' ? 'share pages' : 'listening'} on http://localhost:${port}${dev ? ' (development)' : ''}`);
  });
}

listen('main', front.ports.main);
if (front.ports.share !== null) listen('share', front.ports.share);
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => process.exit(0));
