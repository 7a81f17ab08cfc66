// A Shiny run's facts as a person reads them: how the session travelled, which process held it and how the balancer
// treated the requests for its session route. Pure: a protocol summary in, plain data out.
import type { ProtocolSummary, ShinyRouteKind, ShinyTransport } from '../../types';
import { ROUTE_LABEL } from './tally';

export const TRANSPORT_TEXT = {
  websocket: 'WebSocket (websocket/, as R Shiny and Shiny for Python serve it)',
  'sockjs-websocket': "SockJS over WebSocket (__sockjs__/, as Shiny Server and Posit Connect serve it)",
  'sockjs-xhr-streaming': "SockJS xhr-streaming (__sockjs__/…/xhr_streaming and xhr_send: HTTP requests that each need the session's process)",
  'sockjs-xhr-polling': "SockJS xhr-polling (__sockjs__/…/xhr and xhr_send: HTTP requests that each need the session's process)",
} satisfies Record<ShinyTransport, string>;

export type ShinyRouteView = { kind: ShinyRouteKind; label: string; output: string };

export type ShinyView = {
  transport: ShinyTransport;
  /** Why the run left SockJS's WebSocket, as a browser would; null when it did not. */
  fallback: string | null;
  version: string | null;
  /** Distinct Shiny worker ids the sessions reported. */
  workers: string[];
  /** The first session that answered `config`. */
  session: { id: string; workerId: string | null; openedAt: number } | null;
  /**
   * The replica holding that session, where something names it: the response that opened it (a header, a decodable
   * balancer cookie, the worker id), else a route request answered 200, which only that process can do.
   */
  heldBy: { replica: string; how: string } | null;
  routesOffered: ShinyRouteView[];
  /** The route requested again and again; null when the app offered none. */
  route: ShinyRouteView | null;
  /** Route answers: 200 (reached the session's process), 404 or unknown session (another one), neither. */
  answers: { reached: number; lost: number; failed: number } | null;
  /** The first request that reached a process without the session, and the one it reached where named. */
  firstLost: { index: number; replica: string | null } | null;
  proved: string[];
  unproved: string[];
};

/** What named a replica, from an identity source such as `header:x-served-by` or `cookie-sent:SRV`. */
function sourceText(source: string | null): string {
  const colon = source?.indexOf(':') ?? -1;
  const [kind, name] = source && colon > 0 ? [source.slice(0, colon), source.slice(colon + 1)] : [source, ''];
  switch (kind) {
    case 'shiny':
      return 'its Shiny worker id';
    case 'header':
      return `the response header ${name}`;
    case 'cookie':
    case 'cookie-sent':
      return `the balancer cookie ${name}`;
    case 'json':
      return `the JSON field ${name}`;
    case 'body':
      return 'the response body';
    default:
      return 'the response';
  }
}

function routeView(r: { kind: ShinyRouteKind; output: string }): ShinyRouteView {
  return { kind: r.kind, label: ROUTE_LABEL[r.kind], output: r.output };
}

export function toShinyView(summary: ProtocolSummary): ShinyView | null {
  const s = summary.shiny;
  if (!s) return null;
  const route = summary.phases.route;
  const first = s.first;
  const reached = route?.first.ok;
  let heldBy: ShinyView['heldBy'] = null;
  if (first?.replica) {
    heldBy = { replica: first.replica, how: `${sourceText(first.identitySource)} at request ${first.index}, which opened it` };
  } else if (reached?.replica) {
    heldBy = { replica: reached.replica, how: `request ${reached.index} for its route answered 200, which only the process holding it can` };
  }
  const lost = route?.first.break;
  return {
    transport: s.transport,
    fallback: s.fallback ?? null,
    version: s.page?.version ?? null,
    workers: s.workers,
    session: first && { id: first.sessionId, workerId: first.workerId, openedAt: first.index },
    heldBy,
    routesOffered: s.routes.map(routeView),
    route: s.probed && routeView(s.probed),
    answers: s.probed && route ? { reached: route.ok, lost: route.break, failed: route.error } : null,
    firstLost: lost ? { index: lost.index, replica: lost.replica } : null,
    proved: s.proved,
    unproved: s.unproved,
  };
}
