// An in-memory engine.io balancer for unit tests of the protocol lanes; the real socket.io servers run in
// e2e/integration/protocols-haproxy.test.ts.
import type { ProbeTransport, TransportRequest, TransportResult } from '../../types';
import { decodePayload } from '../engineio-packets';

/**
 * Three in-memory engine.io replicas behind a balancer that either round-robins or pins by an inserted `SRV` cookie.
 * A replica knows only the sids it handed out, and refuses two requests in flight on one sid the way engine.io does.
 */
export function engineioLab(opts: { sticky: boolean; version?: 3 | 4 }) {
  const version = opts.version ?? 4;
  const replicas = ['io-1', 'io-2', 'io-3'];
  const sids = replicas.map(() => new Set<string>());
  const inFlight = new Set<string>();
  const sent: { method: string; phase: string; body: string | null; cookie: string | null }[] = [];
  let next = 0;
  let issued = 0;
  let overlaps = 0;

  const pick = (cookie: string | null) => {
    const pinned = opts.sticky ? /(?:^|; )SRV=r(\d)/.exec(cookie ?? '') : null;
    if (pinned) return { i: Number(pinned[1]), setCookie: [] };
    const i = next++ % 3;
    return { i, setCookie: opts.sticky ? [`SRV=r${i}; Path=/`] : [] };
  };
  const answer = (i: number, status: number, body: string, setCookie: string[]): TransportResult => ({
    ok: true,
    status,
    headers: { 'x-replica': replicas[i]! },
    setCookie,
    bodyPrefix: body,
    bodyTruncated: false,
    ttfbMs: null,
  });

  const serve = async (req: TransportRequest, upgrade: boolean): Promise<TransportResult> => {
    const query = new URLSearchParams(req.url.pathAndQuery.split('?')[1]);
    const sid = query.get('sid');
    const { i, setCookie } = pick(req.cookieHeader);
    sent.push({ method: req.method, phase: upgrade ? 'upgrade' : sid === null ? 'handshake' : 'post', body: req.body, cookie: req.cookieHeader });
    if (sid === null) {
      const id = `sid${++issued}`;
      sids[i]!.add(id);
      const open = `0{"sid":"${id}","upgrades":["websocket"],"pingInterval":25000,"pingTimeout":20000}`;
      return answer(i, 200, version === 4 ? open : `${open.length}:${open}`, setCookie);
    }
    if (!sids[i]!.has(sid)) return answer(i, 400, upgrade ? 'Session ID unknown' : '{"code":1,"message":"Session ID unknown"}', setCookie);
    if (upgrade) return { ...answer(i, 101, req.body === '2probe' ? '3probe' : '', setCookie) };
    if (inFlight.has(sid)) {
      overlaps++;
      sids[i]!.delete(sid);
      return answer(i, 400, '', setCookie);
    }
    inFlight.add(sid);
    // Another turn of the event loop, so a second request on this sid would overlap this one.
    await Promise.resolve();
    inFlight.delete(sid);
    const packets = decodePayload(req.body ?? '', version);
    return answer(i, 200, packets ? 'ok' : '', setCookie);
  };

  const transport: ProbeTransport = {
    seesCookies: true,
    send: (req) => serve(req, false),
    upgrade: (req) => serve(req, true),
  };
  return { transport, sent, overlaps: () => overlaps };
}
