// What a Shiny run means in the words of someone whose app breaks behind a balancer: which feature fails, which
// route, which request, which process answered, and the cookie evidence that explains it. Pure.
import type { Diagnosis, ProtocolStep, ProtocolSummary, ShinyRouteKind, ShinyTransport } from '../../types';
import { ROUTE_LABEL } from './tally';

type Finding = Omit<Diagnosis, 'atIndex' | 'cookie'> & Partial<Pick<Diagnosis, 'atIndex' | 'cookie'>>;

/** What users see when a route of this kind reaches a process without their session. */
const SYMPTOM = {
  dataobj: "DT server-side tables and downloads will fail at random ('DataTables warning: Ajax error'; 404 Not Found)",
  download: 'downloads will fail at random (the browser saves a 404 Not Found page instead of the file)',
  upload: 'file uploads will fail at random (the upload stops with a 404 error)',
} satisfies Record<ShinyRouteKind, string>;

const TRANSPORT_NAME = {
  websocket: "Shiny's WebSocket",
  'sockjs-websocket': "SockJS's WebSocket",
  'sockjs-xhr-streaming': "SockJS's xhr-streaming",
  'sockjs-xhr-polling': "SockJS's xhr-polling",
} satisfies Record<ShinyTransport, string>;

/** The first SockJS xhr request that reached a process without its session: an `xhr_send` (its own step or a session's init). */
function firstSockjsBreak(summary: ProtocolSummary): { step: ProtocolStep; breaks: number; total: number; what: string } | null {
  let step: ProtocolStep | null = null;
  let what = '';
  let breaks = 0;
  let total = 0;
  for (const phase of ['connect', 'reconnect', 'send'] as const) {
    const t = summary.phases[phase];
    if (!t) continue;
    total += t.ok + t.break + t.error;
    breaks += t.break;
    const b = t.first.break;
    if (b && (step === null || b.index < step.index)) {
      step = b;
      what = phase === 'send' ? 'an xhr_send of an open session (what carries every input change)' : "the xhr_send carrying a new session's init";
    }
  }
  return step && { step, breaks, total, what };
}

function sockjsFindings(summary: ProtocolSummary, add: (d: Finding) => void, cause: string | null): void {
  const shiny = summary.shiny!;
  const xhr = shiny.transport === 'sockjs-xhr-streaming' || shiny.transport === 'sockjs-xhr-polling';
  if (shiny.fallback) {
    add({
      code: 'shiny-transport-fallback',
      severity: 'warning',
      message: `the session travelled over ${TRANSPORT_NAME[shiny.transport]}, as a browser falls back when ${shiny.fallback}; every request of that transport needs the balancer's affinity, and it is slower than a WebSocket`,
    });
  }
  const broke = xhr ? firstSockjsBreak(summary) : null;
  if (!broke) return;
  const { step } = broke;
  const where = [
    step.origin ? `session ${step.session} was opened at request ${step.origin.index}${step.origin.replica ? ` on ${step.origin.replica}` : ''}` : null,
    step.replica !== null && step.replica !== step.origin?.replica ? `this request reached ${step.replica}` : null,
  ].filter(Boolean);
  add({
    code: 'shiny-sockjs-lost',
    severity: 'error',
    message: `the app greys out at random ('Disconnected from the server') for users on ${TRANSPORT_NAME[shiny.transport]}: request ${step.index}, ${broke.what}, answered ${step.answer ?? 'nothing'} from a process that does not hold the SockJS session${where.length ? ` (${where.join('; ')})` : ''}; ${broke.breaks} of ${broke.total} SockJS requests broke${cause ? `. Why: ${cause}` : ''}`,
    atIndex: step.index,
  });
}

/** `cause`: the cookie evidence that explains a break, in a clause (`the balancer's cookie … never sent back`). */
export function diagnoseShiny(summary: ProtocolSummary, add: (d: Finding) => void, cause: string | null): void {
  const shiny = summary.shiny;
  if (!shiny) return;
  sockjsFindings(summary, add, cause);
  const route = summary.phases.route;
  const probed = shiny.probed;
  const broke = route?.first.break;
  if (probed && route && broke) {
    const origin = broke.origin;
    const where = [
      origin ? `session ${broke.session} was opened at request ${origin.index}${origin.replica ? ` on ${origin.replica}` : ''}` : `session ${broke.session}`,
      broke.replica !== null && broke.replica !== origin?.replica ? `this request reached ${broke.replica}` : null,
    ].filter(Boolean);
    const total = route.ok + route.break + route.error;
    add({
      code: 'shiny-route-lost',
      severity: 'error',
      message: `${SYMPTOM[probed.kind]}: request ${broke.index} for the ${ROUTE_LABEL[probed.kind]} route of \`${probed.output}\` answered 404 from a process that does not hold the session (${where.join('; ')}); ${route.break} of ${total} ${ROUTE_LABEL[probed.kind]} requests broke${cause ? `. Why: ${cause}` : ''}`,
      atIndex: broke.index,
    });
  } else if (probed && route && route.ok > 0) {
    add({
      code: 'shiny-route-kept',
      severity: 'info',
      message: `all ${route.ok} requests for the ${ROUTE_LABEL[probed.kind]} route of \`${probed.output}\` reached the process holding their session: DT tables, downloads and uploads keep working behind this balancer`,
    });
  }
  if (!probed && shiny.sessions.configured > 0) {
    add({
      code: 'shiny-no-route',
      severity: 'warning',
      message: `the app handed out no session route (no server-side DT table, download or file upload), so this run cannot show whether requests reach the process holding a session; it opened ${shiny.sessions.opened} sessions and compared them by worker id and cookies instead`,
    });
  }
  if (shiny.workers.length > 1) {
    add({
      code: 'shiny-worker-changed',
      severity: 'warning',
      message: `the run's sessions landed on ${shiny.workers.length} Shiny workers (${shiny.workers.join(', ')}): a user reconnecting may reach another process than the one that served the page`,
    });
  }
}
