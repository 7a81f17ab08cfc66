import 'server-only';
// A lab replica that emulates the part of Shiny's protocol a browser's DT table and a probe use, so the demo lab can
// show a Shiny app behind a balancer on a machine without R. It is not Shiny, and says so on every response (a
// header) and on its page. What it emulates, as R Shiny 1.7 with DT serves it:
//   GET /                 a page whose html-dependencies declare shiny-javascript, with one DT output, `table`
//   WS  /websocket/       `config` (a session id held in this replica's memory) once open, `values` after `init`,
//                         the table's value carrying DataTables' Ajax URL `session/<id>/dataobj/table?w=&nonce=…`
//   POST session/<id>/dataobj/table   200 with rows on the replica holding the session; 404 on any other, as
//                         Shiny answers for a session it does not have. Closing the socket ends the session.
import { randomBytes } from 'node:crypto';
import http from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { REPLICA_HEADER, type ReplicaIdentity } from './replica';

export const EMULATION_HEADER = 'x-stickyscope-emulation';
export const EMULATION_NOTE = "emulated Shiny protocol (stickyscope's demo lab), not R Shiny";
/** The version the page declares: Shiny's, marked as this emulation's, so every detection sentence says so. */
export const EMULATED_SHINY_VERSION = '1.7.4-stickyscope-emulation';

const OUTPUT = 'table';
const COLUMNS = ['order', 'customer', 'total'] as const;
const ROWS = 25;
/** A DataTables request is a form of a few hundred bytes; more is not one. */
const MAX_FORM_BYTES = 64 * 1024;
/** Frames a client may send in one session before the emulation stops reading them. */
const MAX_CLIENT_MESSAGES = 1000;

const PAGE = `<!DOCTYPE html>
<html>
<head>
  <meta charset="utf-8"/>
  <script type="application/html-dependencies">jquery[3.6.0];shiny-css[1.7.4];shiny-javascript[${EMULATED_SHINY_VERSION}];htmlwidgets[1.6.1];datatables-binding[0.27]</script>
  <title>Orders (emulated Shiny app)</title>
</head>
<body>
  <p role="note">This is stickyscope's demo lab emulating the part of Shiny's protocol a probe uses (a session over
  <code>websocket/</code>, a DT table in server-side mode). It is not Shiny and runs no R.</p>
  <h2>Orders</h2>
  <div class="datatables html-widget html-widget-output shiny-report-size html-fill-item" id="${OUTPUT}" style="width:100%;height:auto;"></div>
</body>
</html>
`;

function tableValue(sessionId: string): unknown {
  const head = ['<th> </th>', ...COLUMNS.map((c) => `<th>${c}</th>`)].join('');
  return {
    x: {
      filter: 'none',
      container: `<table class="display"><thead><tr>${head}</tr></thead></table>`,
      options: {
        ajax: { url: `session/${sessionId}/dataobj/${OUTPUT}?w=&nonce=${randomBytes(8).toString('hex')}`, type: 'POST' },
        serverSide: true,
        processing: true,
      },
    },
  };
}

/** DataTables' server-side answer for the form's `draw`, `start` and `length`. */
function tablePage(form: URLSearchParams): string {
  const whole = (name: string, fallback: number, max: number) => {
    const n = Number(form.get(name));
    return Number.isInteger(n) && n >= 0 ? Math.min(n, max) : fallback;
  };
  const start = whole('start', 0, ROWS);
  const length = whole('length', 10, ROWS);
  const data = Array.from({ length: Math.max(0, Math.min(length, ROWS - start)) }, (_, i) => {
    const n = start + i + 1;
    return [String(n), `#${1000 + n}`, `customer ${n}`, (n * 17.5).toFixed(2)];
  });
  return JSON.stringify({ draw: whole('draw', 0, Number.MAX_SAFE_INTEGER), recordsTotal: ROWS, recordsFiltered: ROWS, data });
}

function readForm(req: http.IncomingMessage): Promise<URLSearchParams | null> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_FORM_BYTES) {
        req.destroy();
        resolve(null);
      } else chunks.push(chunk);
    });
    req.on('end', () => resolve(new URLSearchParams(Buffer.concat(chunks).toString('utf8'))));
    req.on('error', () => resolve(null));
  });
}

const DATAOBJ = /^\/session\/([0-9a-f]{32})\/dataobj\/([^/]+)$/;

/** One emulated Shiny replica; `onRequest` runs before each response, as for the lab's other replicas. */
export function createShinyReplicaServer(identity: ReplicaIdentity, onRequest?: () => void): http.Server {
  /** The sessions this process holds: the only ones whose routes it answers. */
  const sessions = new Set<string>();
  const marks = { [REPLICA_HEADER]: identity.replica, [EMULATION_HEADER]: EMULATION_NOTE };

  const server = http.createServer((req, res) => {
    onRequest?.();
    const send = (status: number, type: string, body: string) => {
      res.writeHead(status, { ...marks, 'content-type': type, 'cache-control': 'no-store' });
      res.end(body);
    };
    const path = new URL(req.url ?? '/', 'http://replica').pathname;
    const route = DATAOBJ.exec(path);
    if (req.method === 'GET' && path === '/') return send(200, 'text/html; charset=utf-8', PAGE);
    if (route && req.method === 'POST') {
      if (!sessions.has(route[1]!) || route[2] !== OUTPUT) return send(404, 'text/html; charset=utf-8', '<h1>Not Found</h1>');
      void readForm(req).then((form) => (form ? send(200, 'application/json', tablePage(form)) : send(413, 'text/plain', 'Payload Too Large')));
      return;
    }
    send(404, 'text/html; charset=utf-8', '<h1>Not Found</h1>');
  });

  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_FORM_BYTES, perMessageDeflate: false });
  wss.on('headers', (headers) => headers.push(...Object.entries(marks).map(([name, value]) => `${name}: ${value}`)));
  wss.on('connection', (ws: WebSocket) => {
    const sessionId = randomBytes(16).toString('hex');
    sessions.add(sessionId);
    let received = 0;
    ws.on('close', () => sessions.delete(sessionId));
    ws.on('error', () => ws.terminate());
    ws.send(JSON.stringify({ config: { workerId: '', sessionId, user: null } }));
    ws.on('message', (data, isBinary) => {
      if (isBinary || ++received > MAX_CLIENT_MESSAGES) return;
      let message: unknown;
      try {
        message = JSON.parse(data.toString());
      } catch {
        return;
      }
      if ((message as { method?: unknown } | null)?.method !== 'init') return;
      ws.send(JSON.stringify({ busy: 'busy' }));
      ws.send(JSON.stringify({ errors: {}, values: { [OUTPUT]: tableValue(sessionId) }, inputMessages: [] }));
      ws.send(JSON.stringify({ busy: 'idle' }));
    });
  });

  server.on('upgrade', (req: http.IncomingMessage, socket: Duplex, head: Buffer) => {
    onRequest?.();
    socket.on('error', () => socket.destroy());
    if (new URL(req.url ?? '/', 'http://replica').pathname !== '/websocket/') {
      const lines = ['HTTP/1.1 404 Not Found', ...Object.entries(marks).map(([n, v]) => `${n}: ${v}`), 'connection: close', 'content-length: 0'];
      socket.end(`${lines.join('\r\n')}\r\n\r\n`);
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req));
  });
  server.on('close', () => {
    for (const client of wss.clients) client.terminate();
    wss.close();
  });
  return server;
}
