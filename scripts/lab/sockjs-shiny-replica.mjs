#!/usr/bin/env node
// One lab replica that serves a Shiny app the way Shiny Server and Posit Connect do: the page loads Shiny Server's
// SockJS client, the session travels over a real SockJS server (npm `sockjs`) at `__sockjs__/`, multiplexed on
// channel 0 (`0|o|…`, `0|m|…`), and the session's DT table and download live under session routes only this process
// answers. It stands in for Shiny Server, which Debian does not package; the Shiny messages follow what R Shiny
// sends (config with a worker id, values with a DT widget's Ajax URL and a download URL).
//
//   node scripts/lab/sockjs-shiny-replica.mjs --name replica-1 [--port 0] [--host 127.0.0.1]
//
//   GET  /                                the page
//   GET  /__sockjs__/[w=ID/]…             SockJS (websocket, xhr-streaming, xhr-polling, …)
//   POST /session/:id/dataobj/table       DataTables' Ajax answer for a session this process holds, else 404
//   GET  /session/:id/download/report     a CSV for a session this process holds, else 404
//   GET  /healthz                         ok
//
// SOCKJS_WEBSOCKET=off serves SockJS without its WebSocket transport (Shiny Server's `disable_websockets`): the
// upgrade is refused and clients fall back to xhr-streaming or xhr-polling.
//
// Once listening it prints `listening HOST:PORT` on stdout.
import { randomBytes } from 'node:crypto';
import http from 'node:http';
import sockjs from 'sockjs';
import { parseReplicaArgs, serveReplica } from './replica-cli.mjs';

const { name, port, host } = parseReplicaArgs('sockjs-shiny-replica.mjs');

/** Sessions whose socket is open here: closing the socket ends the session, as in Shiny. */
const sessions = new Set();
const MAX_SESSIONS = 10_000;

const PAGE = `<!DOCTYPE html>
<html>
<head>
  <script type="application/html-dependencies">jquery[3.6.0];shiny-css[1.7.4];shiny-javascript[1.7.4];htmlwidgets[1.6.1];datatables-binding[0.27]</script>
  <script src="shiny-javascript-1.7.4/shiny.min.js"></script>
  <script src="__assets__/sockjs.min.js"></script>
  <script src="__assets__/shiny-server-client.min.js"></script>
  <script>preShinyInit({reconnect:false,disableProtocols:[]});</script>
  <title>Orders</title>
</head>
<body>
  <div class="datatables html-widget html-widget-output shiny-report-size" id="table" style="width:100%;height:auto;"></div>
  <a id="report" class="shiny-download-link" href="" target="_blank" download>Download the orders</a>
</body>
</html>
`;

function values(sessionId) {
  const w = encodeURIComponent(name);
  return {
    errors: {},
    values: {
      report: `session/${sessionId}/download/report?w=${w}`,
      table: {
        x: {
          container: '<table class="display"><thead><tr><th> </th><th>item</th><th>qty</th></tr></thead></table>',
          options: { ajax: { url: `session/${sessionId}/dataobj/table?w=${w}&nonce=${randomBytes(8).toString('hex')}`, type: 'POST' }, serverSide: true },
        },
      },
    },
    inputMessages: [],
  };
}

const websocket = process.env.SOCKJS_WEBSOCKET !== 'off';
const server = sockjs.createServer({ prefix: '/__sockjs__(?:/w=\\w+)?', websocket, log: () => undefined });
server.on('connection', (conn) => {
  let sessionId = null;
  const send = (message) => conn.write(`0|m|${JSON.stringify(message)}`);
  conn.on('data', (data) => {
    const m = /^(\d+)\|([moc])\|([\s\S]*)$/.exec(data);
    if (!m || m[1] !== '0') return conn.close(3000, 'bad multiplex frame');
    if (m[2] === 'c') return conn.close();
    if (m[2] !== 'm') return;
    let message;
    try {
      message = JSON.parse(m[3]);
    } catch {
      return conn.close(3000, 'bad message');
    }
    if (message.method === 'init' && sessionId === null) {
      sessionId = randomBytes(16).toString('hex');
      if (sessions.size >= MAX_SESSIONS) sessions.clear();
      sessions.add(sessionId);
      send({ config: { workerId: name, sessionId, user: null } });
      send({ busy: 'busy' });
      send({ busy: 'idle' });
      send(values(sessionId));
    }
  });
  conn.on('close', () => sessions.delete(sessionId));
});

const NOT_FOUND = '<h1>Not Found</h1>';

const http_ = http.createServer((req, res) => {
  const url = new URL(req.url ?? '/', 'http://replica');
  const route = /^\/session\/([0-9a-f]+)\/(dataobj|download)\/([^/]+)$/.exec(url.pathname);
  if (url.pathname === '/healthz') return res.writeHead(200, { 'content-type': 'text/plain' }).end('ok\n');
  if (url.pathname === '/' && req.method === 'GET') return res.writeHead(200, { 'content-type': 'text/html; charset=UTF-8' }).end(PAGE);
  if (route && sessions.has(route[1])) {
    req.resume();
    if (route[2] === 'dataobj' && req.method === 'POST') {
      return res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ draw: 1, recordsTotal: 2, recordsFiltered: 2, data: [['1', 'apples', 3], ['2', 'pears', 5]] }));
    }
    if (route[2] === 'download') return res.writeHead(200, { 'content-type': 'text/csv', 'content-disposition': 'attachment; filename="orders.csv"' }).end('item,qty\napples,3\n');
  }
  req.resume();
  res.writeHead(404, { 'content-type': 'text/html; charset=UTF-8' }).end(NOT_FOUND);
});
server.installHandlers(http_);

serveReplica(http_, { port, host });
