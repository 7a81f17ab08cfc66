import 'server-only';
// One lab replica: says who it is on every response (the 101 of a WebSocket upgrade included), keeps a per-user counter in an in-memory session so a
// request that lands on another replica visibly loses it, and serves socket.io at /socket.io/ (engine.io keeps its
// polling sessions in memory too: a request for a session another replica opened answers "Session ID unknown").
import { randomUUID } from 'node:crypto';
import http from 'node:http';
import { Server as SocketIoServer } from 'socket.io';
import { readCookie } from './sticky';

export const SESSION_COOKIE = 'lab.sid';
export const REPLICA_HEADER = 'x-replica';
export const SOCKET_IO_PATH = '/socket.io/';

export type ReplicaIdentity = { replica: string; hostname: string };

function appHandler(identity: ReplicaIdentity): http.RequestListener {
  const sessions = new Map<string, { count: number }>();
  return (req, res) => {
    const headers: http.OutgoingHttpHeaders = { 'content-type': 'application/json' };
    let body: Record<string, unknown> = { ...identity };
    if (new URL(req.url ?? '/', 'http://replica').pathname === '/app') {
      const sid = readCookie(req.headers.cookie, SESSION_COOKIE);
      let session = sid ? sessions.get(sid) : undefined;
      let id = sid;
      const lost = sid !== null && !session;
      if (!session || !id) {
        id = randomUUID();
        session = { count: 0 };
        sessions.set(id, session);
        headers['set-cookie'] = `${SESSION_COOKIE}=${id}; Path=/; HttpOnly; SameSite=Lax`;
      }
      session.count += 1;
      body = { ...body, session: { count: session.count, new: session.count === 1, lost } };
    }
    res.writeHead(200, headers);
    res.end(JSON.stringify(body));
  };
}

/**
 * `onRequest` runs before each response is written (socket.io requests included), so the lab can act on a
 * replica's request count. Closing the returned server also ends its socket.io sessions.
 */
export function createReplicaServer(identity: ReplicaIdentity, onRequest?: () => void): http.Server {
  const server = http.createServer(appHandler(identity));
  const io = new SocketIoServer(server, { path: SOCKET_IO_PATH, serveClient: false });
  io.on('connection', (socket) => socket.emit('replica', identity));
  // socket.io takes over the `request` listeners when it attaches; this one runs before all of them, so engine.io's
  // own answers ("Session ID unknown" included) carry the identity header too.
  server.prependListener('request', (_req: http.IncomingMessage, res: http.ServerResponse) => {
    res.setHeader(REPLICA_HEADER, identity.replica);
    onRequest?.();
  });
  // A WebSocket upgrade never reaches the `request` listeners: its 101 gets the header through engine.io's hook.
  io.engine.on('headers', (headers: Record<string, string>) => {
    headers[REPLICA_HEADER] = identity.replica;
  });
  return server;
}
