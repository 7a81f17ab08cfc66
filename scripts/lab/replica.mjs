#!/usr/bin/env node
// One lab replica: a tiny HTTP server that says who it is, like traefik/whoami.
//
//   node scripts/lab/replica.mjs --name replica-1 [--port 0] [--host 127.0.0.1] [--cors]
//
// Every response carries `X-Replica: NAME` and a `Hostname: NAME` body line. Once listening it prints one line,
// `listening HOST:PORT`, on stdout, so a parent that asked for port 0 learns the port without polling.
//
// With --cors, any page may read it with its own fetch and cookies (what a probe in direct mode needs): the request's
// Origin is echoed with credentials allowed, X-Replica is exposed, and preflights are answered.
import http from 'node:http';
import { parseReplicaArgs, serveReplica } from './replica-cli.mjs';

const { name, port, host, cors } = parseReplicaArgs('replica.mjs');
const body = Buffer.from(`Hostname: ${name}\nIP: ${host}\n`);
let served = 0;

/** CORS headers for a request from a page on another origin; none without --cors or an Origin. */
function corsHeaders(req) {
  const origin = req.headers.origin;
  if (!cors || !origin) return {};
  return {
    'access-control-allow-origin': origin,
    'access-control-allow-credentials': 'true',
    'access-control-expose-headers': 'X-Replica, X-Served',
    vary: 'Origin',
  };
}

const server = http.createServer((req, res) => {
  // Drain any request body so keep-alive connections stay usable.
  req.resume();
  if (cors && req.method === 'OPTIONS' && req.headers['access-control-request-method']) {
    res.writeHead(204, {
      ...corsHeaders(req),
      'access-control-allow-methods': 'GET, HEAD, POST',
      'access-control-allow-headers': req.headers['access-control-request-headers'] ?? '',
      'access-control-max-age': '600',
      'x-replica': name,
    });
    res.end();
    return;
  }
  served++;
  if (req.url === '/healthz') {
    res.writeHead(200, { ...corsHeaders(req), 'content-type': 'text/plain', 'x-replica': name, 'content-length': 3 });
    res.end('ok\n');
    return;
  }
  res.writeHead(200, {
    ...corsHeaders(req),
    'content-type': 'text/plain; charset=utf-8',
    'content-length': body.length,
    'x-replica': name,
    'x-served': String(served),
  });
  res.end(body);
});
serveReplica(server, { port, host });
