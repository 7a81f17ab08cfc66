// Test-only: Shiny replicas in memory, each holding the sessions opened on it, speaking the messages R Shiny sends
// (see r-shiny-1.7.ts). For the lane's decisions; the real thing is in e2e/integration/shiny-haproxy.test.ts.
import type { ProbeSocket, ProbeTransport, SocketOpenResult, TransportRequest, TransportResult } from '../../../types';
import { SocketFrameQueue } from '../../socket-queue';
import { R_SHINY_PAGE } from './r-shiny-1.7';

/** A Shiny page with nothing but a text output: no DT table, no download, no file input. */
const TEXT_ONLY_PAGE = '<script type="application/html-dependencies">jquery[3.6.0];shiny-javascript[1.7.4]</script><div id="who" class="shiny-text-output"></div>';

export type ScriptedShinyOptions = { replicas?: number; sticky?: boolean; routes?: boolean; workerIds?: boolean; endAfterRoutes?: number };

/** Replicas that each hold the sessions opened on them; `sticky` pins by a `SRV` cookie set on the page. */
export function scriptedShiny(o: ScriptedShinyOptions = {}) {
  const replicas = o.replicas ?? 3;
  const sessions = Array.from({ length: replicas }, () => new Map<string, SocketFrameQueue>());
  let next = 0;
  let issued = 0;
  let routeCalls = 0;
  const pick = (req: TransportRequest) => {
    const pinned = o.sticky ? /SRV=r(\d)/.exec(req.cookieHeader ?? '') : null;
    return pinned ? Number(pinned[1]) : next++ % replicas;
  };
  const answer = (status: number, body = '', setCookie: string[] = []): TransportResult & { ok: true } => ({ ok: true, status, headers: {}, setCookie, bodyPrefix: body, bodyTruncated: false, ttfbMs: null });
  const transport: ProbeTransport = {
    seesCookies: true,
    async send(req) {
      const i = pick(req);
      if (req.url.path === '/') return answer(200, o.routes === false ? TEXT_ONLY_PAGE : R_SHINY_PAGE, o.sticky && !req.cookieHeader ? [`SRV=r${i}; Path=/`] : []);
      const m = /^\/session\/([0-9a-f]+)\/dataobj\//.exec(req.url.path);
      const queue = m ? sessions[i]!.get(m[1]!) : undefined;
      if (queue && ++routeCalls === o.endAfterRoutes) queue.close({ code: 1001, reason: 'server restarted' });
      return queue && !queue.closed ? answer(200, '{"draw":1,"data":[]}') : answer(404, '<h1>Not Found</h1>');
    },
    async openSocket(req): Promise<SocketOpenResult> {
      const i = pick(req);
      const id = (++issued).toString(16).padStart(32, '0');
      const queue = new SocketFrameQueue();
      sessions[i]!.set(id, queue);
      const socket: ProbeSocket = { send: async () => true, receive: (opts, signal) => queue.receive(opts, signal), close: async () => queue.close({ code: 1000, reason: '' }) };
      queue.push(JSON.stringify({ config: { workerId: o.workerIds ? `w${i}` : '', sessionId: id, user: null } }), false);
      const values = o.routes === false ? { who: 'hello' } : { table: { x: { container: '<table><thead><tr><th>a</th></tr></thead></table>', options: { ajax: { url: `session/${id}/dataobj/table?w=&nonce=1` } } } } };
      queue.push(JSON.stringify({ errors: {}, values, inputMessages: [] }), false);
      return { ...answer(101), socket };
    },
  };
  return { transport, sessions };
}

