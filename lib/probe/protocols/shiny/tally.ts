// A Shiny run's facts, fed record by record in index order: the page, the sessions and their ids, the routes the
// first session offered and the one requested, and what all that could and could not prove.
import type { ProbeRecord, ProtocolFacts, ProtocolPhaseTally, ProtocolSummary, ShinyRouteKind, ShinySummary } from '../../types';

/** Worker ids remembered; more than this many processes in one run adds nothing to the story. */
const MAX_WORKERS = 32;

export const ROUTE_LABEL = {
  dataobj: 'DT table',
  download: 'download',
  upload: 'upload',
} satisfies Record<ShinyRouteKind, string>;

function plural(n: number, one: string, many = `${one}s`): string {
  return `${n.toLocaleString('en')} ${n === 1 ? one : many}`;
}

export class ShinyTally {
  private summaryBase: Omit<ShinySummary, 'proved' | 'unproved'> = {
    transport: 'websocket',
    page: null,
    sessions: { opened: 0, configured: 0 },
    first: null,
    workers: [],
    routes: [],
    probed: null,
  };
  private named = 0;

  add(r: ProbeRecord, facts: ProtocolFacts): void {
    const s = this.summaryBase;
    const shiny = facts.shiny;
    if (!shiny) return;
    s.transport = shiny.transport;
    if (shiny.fallback !== undefined) s.fallback ??= shiny.fallback;
    if (r.replica !== null) this.named++;
    if (shiny.page && s.page === null) s.page = shiny.page;
    if (facts.phase === 'connect' || facts.phase === 'reconnect') {
      s.sessions.opened++;
      if (facts.outcome === 'ok' && facts.session !== null) {
        s.sessions.configured++;
        s.first ??= { sessionId: facts.session, workerId: shiny.workerId, index: r.index, replica: r.replica, identitySource: r.identitySource };
        if (shiny.workerId !== null && !s.workers.includes(shiny.workerId) && s.workers.length < MAX_WORKERS) s.workers.push(shiny.workerId);
        if (shiny.routes && s.routes.length === 0) s.routes = shiny.routes;
      }
    }
    if (facts.phase === 'route' && shiny.route) s.probed ??= shiny.route;
  }

  summary(phases: ProtocolSummary['phases']): ShinySummary {
    const s = this.summaryBase;
    const proved: string[] = [];
    const unproved: string[] = [];
    const { opened, configured } = s.sessions;
    if (configured > 0) proved.push(`${plural(configured, 'Shiny session')} opened through the balancer and answered config${opened > configured ? ` (${opened - configured} more failed to)` : ''}`);
    else unproved.push(opened > 0 ? `anything about the session: none of the ${plural(opened, 'session')} opened answered config` : 'anything about the session: none was opened');
    const route: ProtocolPhaseTally | undefined = phases.route;
    if (s.probed && route) {
      const label = `the ${ROUTE_LABEL[s.probed.kind]} route of \`${s.probed.output}\``;
      const total = route.ok + route.break + route.error;
      proved.push(`${route.ok} of ${plural(total, 'request')} for ${label} reached the process holding their session (HTTP 200)`);
      if (route.break > 0) proved.push(`${route.break} of them reached a process that did not hold the session (HTTP 404), as users' DT tables, downloads and uploads would`);
      const others = s.routes.filter((r) => r.kind !== s.probed!.kind || r.output !== s.probed!.output);
      if (others.length) proved.push(`the other session routes (${others.map((r) => `${ROUTE_LABEL[r.kind]} \`${r.output}\``).join(', ')}) live on the same process, so they fare the same`);
      if (this.named === 0) unproved.push('which replica answered each request: none named itself, so the proof rests on Shiny\'s own 200 or 404');
    }
    const send = phases.send;
    if (send) {
      const total = send.ok + send.break + send.error;
      proved.push(`${send.ok} of ${plural(total, 'xhr_send request')} of the SockJS ${s.transport === 'sockjs-xhr-polling' ? 'xhr-polling' : 'xhr-streaming'} session reached the process holding it (HTTP 204)${send.break > 0 ? `; ${send.break} did not (HTTP 404, or the session lost to another process)` : ''}`);
    }
    if (!(s.probed && route) && configured > 0) {
      unproved.push('whether requests reach the process holding the session: the app handed out no session route (no server-side DT table, download or file upload)');
      if (s.workers.length > 1) proved.push(`sessions landed on ${s.workers.length} workers (${s.workers.join(', ')})`);
      else if (s.workers.length === 1) proved.push(`every session got worker ${s.workers[0]}`);
      else if (this.named === 0) unproved.push('which process each session landed on: the server sets no worker id and no response named a replica');
    }
    return { ...s, sessions: { ...s.sessions }, workers: [...s.workers], routes: [...s.routes], proved, unproved };
  }
}
