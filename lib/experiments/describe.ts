// A failover measurement in sentences, for the terminal and the Probe page alike. Pure.
import type { FailoverMeasurement } from '@/lib/probe/failover';

function ms(n: number): string {
  return n >= 1000 ? `${(n / 1000).toFixed(2)} s` : `${Math.round(n)} ms`;
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/** The headline: what happened to this client. */
export function failoverHeadline(m: FailoverMeasurement): string {
  switch (m.outcome) {
    case 'recovered':
      return m.repinned
        ? `Failed over from ${m.pinnedReplica} to ${m.repinnedTo} in ${ms(m.timeToRecoveryMs ?? 0)}, ${plural(m.failedRequests, 'failed request')}`
        : `Back on ${m.repinnedTo ?? 'the same replica'} after ${ms(m.timeToRecoveryMs ?? 0)}, ${plural(m.failedRequests, 'failed request')}`;
    case 'not-recovered':
      return `No successful response after the action: ${plural(m.failedRequests, 'failed request')} until the run ended`;
    case 'unaffected':
      return `${m.pinnedReplica} kept answering: the action did not reach this client during the run`;
    case 'no-baseline':
      return 'No replica was pinned before the action (no successful, identified response), so there is nothing to compare';
    case 'no-data':
      return 'The run ended before any request followed the action';
  }
}

/** One line per fact, in the order a person asks: what failed, how long, where to, which cookie, which session. */
export function failoverDetails(m: FailoverMeasurement): string[] {
  const lines: string[] = [];
  if (m.failureWindow) {
    const w = m.failureWindow;
    lines.push(`Failure window: requests ${w.fromIndex}–${w.toIndex} (${ms(w.fromMs)} to ${ms(w.toMs)} into the run), ${plural(m.failedRequests, 'request')} failed`);
  } else if (m.outcome === 'recovered') {
    lines.push('No request failed: the balancer moved the client before any error reached it');
  }
  if (m.timeToRecoveryMs !== null && m.recovery) lines.push(`Next success: request ${m.recovery.index}, ${ms(m.timeToRecoveryMs)} after the action`);
  if (m.outcome === 'recovered') {
    lines.push(m.repinned ? `Re-pinned: ${m.pinnedReplica} → ${m.repinnedTo}` : `Not re-pinned: ${m.repinnedTo ?? 'an unidentified replica'} answered again`);
  }
  const c = m.balancerCookie;
  if (c) {
    lines.push(
      c.reissued
        ? `Balancer cookie ${c.name} re-issued at request ${c.reissuedAt}: ${c.before ?? '(none)'} → ${c.after}`
        : `Balancer cookie ${c.name} unchanged${c.before ? ` (${c.before})` : ''}`,
    );
  } else {
    lines.push('No balancer cookie seen in this run');
  }
  if (m.session) {
    const lost = m.session.cookies.filter((s) => s.survived === false);
    lines.push(
      m.session.survived === true
        ? `App session survived (${m.session.cookies.map((s) => s.name).join(', ')})`
        : m.session.survived === false
          ? `App session lost: ${lost.map((s) => `${s.name} ${s.how} at request ${s.lostAt}`).join(', ')}`
          : 'App session: unknown, no request succeeded after the action',
    );
  }
  if (m.failedAfterAction > m.failedRequests) lines.push(`${plural(m.failedAfterAction, 'request')} failed after the action in all`);
  return lines;
}
