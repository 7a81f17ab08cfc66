// The run's protocol evidence, fed record by record in index order: per phase, how many requests reached the
// session's replica, broke or failed, and the first of each with the session it belonged to.
import type { AppSessionSummary, ProbeRecord, ProtocolDetection, ProtocolPhase, ProtocolPhaseTally, ProtocolSummary } from '../types';
import { ShinyTally } from './shiny/tally';

/** Sessions remembered for "opened on replica X at request N"; a run with more keeps counting without the origin. */
const MAX_ORIGINS = 10_000;

export class ProtocolTally {
  private readonly phases: Partial<Record<ProtocolPhase, ProtocolPhaseTally>> = {};
  private readonly origins = new Map<string, { index: number; replica: string | null }>();
  private appSession: AppSessionSummary | null = null;
  private readonly shiny: ShinyTally | null;

  constructor(private readonly detection: ProtocolDetection) {
    this.shiny = detection.protocol === 'shiny' ? new ShinyTally() : null;
  }

  add(r: ProbeRecord): void {
    const facts = r.protocol;
    if (facts) {
      this.shiny?.add(r, facts);
      const opens = facts.phase === 'handshake' || facts.phase === 'page' || facts.phase === 'connect';
      if (opens && facts.outcome === 'ok' && facts.session !== null && this.origins.size < MAX_ORIGINS) {
        this.origins.set(facts.session, { index: r.index, replica: r.replica });
      }
      const tally = (this.phases[facts.phase] ??= { ok: 0, break: 0, error: 0, first: {} });
      tally[facts.outcome]++;
      tally.first[facts.outcome] ??= {
        index: r.index,
        session: facts.session,
        answer: facts.answer,
        replica: r.replica,
        message: r.error?.message ?? null,
        origin: facts.session === null ? null : (this.origins.get(facts.session) ?? null),
      };
    }
    const app = r.appSession;
    if (app) {
      const s = (this.appSession ??= { name: app.name, sent: 0, lost: 0, firstLost: null });
      if (app.sent) s.sent++;
      if (app.lost) {
        s.lost++;
        s.firstLost ??= { index: r.index, replica: r.replica };
      }
    }
  }

  summary(): ProtocolSummary {
    const phases: ProtocolSummary['phases'] = {};
    for (const [phase, t] of Object.entries(this.phases) as [ProtocolPhase, ProtocolPhaseTally][]) phases[phase] = { ...t, first: { ...t.first } };
    return {
      protocol: this.detection.protocol,
      detection: this.detection,
      phases,
      appSession: this.appSession && { ...this.appSession },
      shiny: this.shiny?.summary(phases) ?? null,
    };
  }
}
