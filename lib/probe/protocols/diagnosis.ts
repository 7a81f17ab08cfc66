// What the protocol's own answers say, tied to the request that said it. Pure: a protocol summary in, findings out.
import { diagnoseShiny } from './shiny/diagnosis';
import type { Diagnosis, ProtocolPhase, ProtocolPhaseTally, ProtocolStep, ProtocolSummary } from '../types';

type Finding = Omit<Diagnosis, 'atIndex' | 'cookie'> & Partial<Pick<Diagnosis, 'atIndex' | 'cookie'>>;

const NO_TALLY: ProtocolPhaseTally = { ok: 0, break: 0, error: 0, first: {} };

const SHINY_PHASES: readonly ProtocolPhase[] = ['page', 'connect', 'route', 'reconnect', 'send'];

function total(t: ProtocolPhaseTally): number {
  return t.ok + t.break + t.error;
}

/** ` (sid X opened on replica-1 at request 1; this request reached replica-2)`, from what is known. */
function evidence(step: ProtocolStep, subject: string | null, verb: string, preposition: string): string {
  const o = step.origin;
  const parts: string[] = [];
  if (o) parts.push(`${subject === null ? '' : `${subject} `}${verb}${o.replica === null ? '' : ` ${preposition} ${o.replica}`} at request ${o.index}`);
  else if (subject !== null) parts.push(subject);
  if (step.replica !== null && step.replica !== o?.replica) parts.push(`this request reached ${step.replica}`);
  return parts.length ? ` (${parts.join('; ')})` : '';
}

function earliest(...steps: (ProtocolStep | undefined)[]): ProtocolStep | null {
  let best: ProtocolStep | null = null;
  for (const s of steps) if (s && (best === null || s.index < best.index)) best = s;
  return best;
}

function firstError(s: ProtocolSummary, phases: readonly ProtocolPhase[]): { step: ProtocolStep; phase: ProtocolPhase; count: number } | null {
  let found: { step: ProtocolStep; phase: ProtocolPhase } | null = null;
  let count = 0;
  for (const phase of phases) {
    const t = s.phases[phase];
    const step = t?.first.error;
    if (!t || !step) continue;
    count += t.error;
    if (!found || step.index < found.step.index) found = { step, phase };
  }
  return found && { ...found, count };
}

function engineio(s: ProtocolSummary, add: (d: Finding) => void): void {
  const join = s.phases.join ?? NO_TALLY;
  const post = s.phases.post ?? NO_TALLY;
  const upgrade = s.phases.upgrade ?? NO_TALLY;
  const posts = total(join) + total(post);
  const broke = earliest(join.first.break, post.first.break);
  if (broke) {
    const breaks = join.break + post.break;
    add({
      code: 'session-id-unknown',
      severity: 'error',
      message: `the POST at request ${broke.index} answered 400 \`Session ID unknown\`: the balancer sent the session to a replica that did not hold it${evidence(broke, `sid ${broke.session}`, 'opened', 'on')}; ${breaks} of ${posts} POSTs broke`,
      atIndex: broke.index,
    });
  }
  const refused = upgrade.first.break;
  if (refused) {
    add({
      code: 'upgrade-elsewhere',
      severity: 'error',
      message: `the WebSocket upgrade at request ${refused.index} was refused with \`Session ID unknown\`: it reached a replica that did not hold the session${evidence(refused, `sid ${refused.session}`, 'opened', 'on')}, so the client cannot leave long polling; ${upgrade.break} of ${total(upgrade)} upgrades refused`,
      atIndex: refused.index,
    });
  } else if (upgrade.first.ok) {
    const ok = upgrade.first.ok;
    const same = ok.replica !== null && ok.replica === ok.origin?.replica;
    add({
      code: 'upgrade-ok',
      severity: 'info',
      message: `the WebSocket upgrade at request ${ok.index} carried sid ${ok.session} and the cookies to ${ok.replica ?? 'the replica holding the session'}${same ? ", the handshake's replica," : ''} and the replica took the session over to WebSocket (it answered engine.io's probe)`,
      atIndex: ok.index,
    });
  }
  const error = firstError(s, ['handshake', 'join', 'post', 'upgrade']);
  if (error) {
    const anyOk = (s.phases.handshake?.ok ?? 0) + join.ok + post.ok + upgrade.ok > 0;
    add({
      code: 'engineio-error',
      severity: anyOk ? 'warning' : 'error',
      message: `request ${error.step.index} (${error.phase}): ${error.step.message ?? error.step.answer ?? 'failed'}${error.count > 1 ? `; ${error.count} engine.io requests failed in all` : ''}`,
      atIndex: error.step.index,
    });
  }
}

function sessionRoute(s: ProtocolSummary, add: (d: Finding) => void): void {
  const route = s.phases.route ?? NO_TALLY;
  const broke = route.first.break;
  if (broke) {
    add({
      code: 'session-route-lost',
      severity: 'error',
      message: `request ${broke.index} for the session URL ${broke.session} answered ${broke.answer}: the balancer sent it to a replica that does not hold the session${evidence(broke, null, 'the page came', 'from')}; ${route.break} of ${total(route)} session requests broke`,
      atIndex: broke.index,
    });
  }
  const missing = s.phases.page?.first.error;
  if (missing) {
    add({
      code: 'session-url-not-found',
      severity: route.ok > 0 ? 'warning' : 'error',
      message: `request ${missing.index} (the page): ${missing.message ?? `answered ${missing.answer ?? 'nothing'}, so no session URL could be read`}`,
      atIndex: missing.index,
    });
  }
}

function appSession(s: ProtocolSummary, add: (d: Finding) => void): void {
  const app = s.appSession;
  if (!app) return;
  if (app.firstLost) {
    const by = app.firstLost.replica === null ? '' : ` (${app.firstLost.replica} did not know the session)`;
    add({
      code: 'app-session-lost',
      severity: 'error',
      message: `app session cookie \`${app.name}\` re-issued at request ${app.firstLost.index}: the app lost the login${by}${app.lost > 1 ? `; ${app.lost} times in all` : ''}`,
      atIndex: app.firstLost.index,
      cookie: app.name,
    });
  } else if (app.sent >= 2) {
    add({
      code: 'app-session-kept',
      severity: 'info',
      message: `app session cookie \`${app.name}\` was sent back on ${app.sent} requests and never re-issued: the app kept the session`,
      cookie: app.name,
    });
  }
}

/** `cause`: the cookie evidence behind a break, as a clause, for findings that name one. */
export function diagnoseProtocol(summary: ProtocolSummary, add: (d: Finding) => void, cause: string | null = null): void {
  const { detection } = summary;
  if (detection.requested === 'auto' && detection.protocol !== 'http') {
    add({ code: 'protocol-detected', severity: 'info', message: `spoke ${detection.protocol}: ${detection.reason}`, atIndex: detection.atIndex });
  }
  if (summary.protocol === 'engineio') engineio(summary, add);
  if (summary.protocol === 'session-route') sessionRoute(summary, add);
  if (summary.protocol === 'shiny') {
    diagnoseShiny(summary, add, cause);
    const error = firstError(summary, SHINY_PHASES);
    if (error) {
      const anyOk = SHINY_PHASES.some((p) => p !== 'page' && (summary.phases[p]?.ok ?? 0) > 0);
      add({
        code: 'shiny-error',
        severity: anyOk ? 'warning' : 'error',
        message: `request ${error.step.index} (${error.phase}): ${error.step.message ?? error.step.answer ?? 'failed'}${error.count > 1 ? `; ${error.count} Shiny steps failed in all` : ''}`,
        atIndex: error.step.index,
      });
    }
  }
  appSession(summary, add);
}
