#!/usr/bin/env node
// One lab replica: a tiny HTTP server that says who it is, like traefik/whoami.
//
//   node scripts/lab/replica.mjs --name replica-1 [--port 0] [--host 127.0.0.1]
//
// Every response carries `X-Replica: NAME` and a `Hostname: NAME` body line. Once listening it prints one line,
// `listening HOST:PORT`, on stdout, so a parent that asked for port 0 learns the port without polling.
import http from 'node:http';
import { parseReplicaArgs, serveReplica } from './replica-cli.mjs';

const { name, port, host } = parseReplicaArgs('replica.mjs');
const body = Buffer.from(`Hostname: ${name}\nIP: ${host}\n`);
let served = 0;

const server = http.createServer((req, res) => {
  served++;
  // Drain any request body so keep-alive connections stay usable.
  req.resume();
  if (req.url === '/healthz') {
    res.writeHead(200, { 'content-type': 'text/plain', 'x-replica': name, 'content-length': 3 });
    res.end('ok\n');
    return;
  }
  res.writeHead(200, {
    'content-type': 'text/plain; charset=utf-8',
    'content-length': body.length,
    'x-replica': name,
    'x-served': String(served),
  });
  res.end(body);
});
serveReplica(server, { port, host });
