#!/usr/bin/env node
// One socket.io lab replica: a real `socket.io` server (engine.io 4, and 3 for socket.io 2 clients) that keeps its
// sessions in memory, as every socket.io server does, and says who it is.
//
//   node scripts/lab/socketio-replica.mjs --name replica-1 [--port 0] [--host 127.0.0.1]
//
// Every HTTP response, engine.io's own included (polling answers, `Session ID unknown` refusals, the 101 of a
// WebSocket upgrade), carries `X-Replica: NAME`; `/healthz` answers `ok`. Once listening it prints
// `listening HOST:PORT` on stdout. The `/probe` namespace exists besides `/`.
import http from 'node:http';
import { Server } from 'socket.io';
import { parseReplicaArgs, serveReplica } from './replica-cli.mjs';

const { name, port, host } = parseReplicaArgs('socketio-replica.mjs');

const server = http.createServer((req, res) => {
  req.resume();
  const body = req.url === '/healthz' ? 'ok\n' : `Hostname: ${name}\n`;
  res.writeHead(200, { 'content-type': 'text/plain; charset=utf-8', 'content-length': Buffer.byteLength(body) });
  res.end(body);
});
const io = new Server(server, { allowEIO3: true });
io.on('connection', (socket) => socket.emit('replica', name));
io.of('/probe').on('connection', (socket) => socket.emit('replica', name));
// engine.io takes over the server's request listeners when it attaches; this one runs before any of them, so even
// the refusals engine.io writes itself carry the header. The 101 of an upgrade gets it through engine.io's hook.
server.prependListener('request', (_req, res) => res.setHeader('x-replica', name));
io.engine.on('headers', (headers) => {
  headers['x-replica'] = name;
});

// Closing socket.io ends its sessions and closes the HTTP server.
serveReplica(server, { port, host }, (done) => io.close(done));
