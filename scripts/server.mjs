#!/usr/bin/env node
// The production server: Next.js behind a plain node:http server. Every request goes to Next, except the few
// routes the app registers as direct (see instrumentation-node.ts): POST /api/relay is on the hot path of every
// browser probe request, and answering it here skips the framework's per-request work, which costs more than the
// relay itself. The same handler serves the route through Next when this server is not in front (`next dev`).
import http from 'node:http';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const port = Number(process.env.PORT ?? '3000');
const MAX_BODY_BYTES = 256 * 1024;

// React and Next pick their production builds from NODE_ENV when first loaded, so it is set before the import.
process.env.NODE_ENV = 'production';
const { default: next } = await import('next');
const app = next({ dev: false, dir: root, port });
const handle = app.getRequestHandler();

/** Reads at most `limit` + 1 bytes, so an oversized body is recognised without being buffered whole. */
function readBody(req, limit) {
  return new Promise((resolve, reject) => {
    const chunks = [];
    let size = 0;
    req.on('data', (chunk) => {
      if (size > limit) return;
      size += chunk.length;
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

async function serveDirect(route, req, res) {
  const abort = new AbortController();
  res.on('close', () => {
    if (!res.writableFinished) abort.abort();
  });
  try {
    const body = await readBody(req, MAX_BODY_BYTES);
    const response = await route(body, req.headers['content-type'] ?? null, abort.signal);
    const payload = Buffer.from(await response.arrayBuffer());
    res.writeHead(response.status, { ...Object.fromEntries(response.headers), 'content-length': payload.length });
    res.end(payload);
  } catch (error) {
    console.error(error);
    if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json', 'cache-control': 'no-store' });
    res.end(JSON.stringify({ error: { code: 'internal', message: 'the relay failed' } }));
  }
}

await app.prepare();
const server = http.createServer((req, res) => {
  const route = globalThis.stickyscopeDirectRoutes?.[`${req.method} ${req.url}`];
  if (route) void serveDirect(route, req, res);
  else void handle(req, res);
});
server.listen(port, () => {
  console.log(`stickyscope: listening on http://localhost:${port}`);
});
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => process.exit(0));
