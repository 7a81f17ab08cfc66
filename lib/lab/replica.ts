import 'server-only';
// One lab replica: says who it is on every response, and keeps a per-user counter in an in-memory session so a
// request that lands on another replica visibly loses it.
import { randomUUID } from 'node:crypto';
import http from 'node:http';
import { readCookie } from './sticky';

export const SESSION_COOKIE = 'lab.sid';

export type ReplicaIdentity = { replica: string; hostname: string };

/** `onRequest` runs before each response is written, so the lab can act on a replica's request count. */
export function createReplicaServer(identity: ReplicaIdentity, onRequest?: () => void): http.Server {
  const sessions = new Map<string, { count: number }>();
  return http.createServer((req, res) => {
    onRequest?.();
    const headers: http.OutgoingHttpHeaders = { 'content-type': 'application/json', 'x-replica': identity.replica };
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
  });
}
