// What must hold after every attack, whatever it was: no 5xx, a bounded answer, the server alive and answering
// /api/health, its memory bounded, nothing at the forbidden capture server and nothing malformed at the allowed one.
import type { AttackTarget } from './dashboard';
import type { WireResponse } from './http-wire';

/** Largest error answer: a few hundred validation issues fit; a copy of a 3 MB body does not. */
export const MAX_ERROR_ANSWER_BYTES = 256 * 1024;
/** Largest answer of any kind (a page with its inline data). */
export const MAX_ANSWER_BYTES = 2 * 1024 * 1024;
/** Resident memory of the server process; it starts near 130 MB. */
export const MAX_SERVER_RSS_BYTES = 512 * 1024 * 1024;

/** The counters the next check compares against. */
export type CaptureMark = { forbiddenBytes: number; allowedRequests: number; allowedMalformed: number };

export function markCaptures(target: AttackTarget): CaptureMark {
  return { forbiddenBytes: target.forbidden.bytes(), allowedRequests: target.allowed.requests().length, allowedMalformed: target.allowed.malformed().length };
}

/** Why the server is not fine after `answer` (null when it is); `what` names the attack for the message. */
export async function harmAfter(target: AttackTarget, what: string, answer: WireResponse | Error, mark: CaptureMark): Promise<string | null> {
  const problems: string[] = [];
  if (answer instanceof Error) {
    problems.push(`no answer: ${answer.message}`);
  } else {
    if (answer.status >= 500) problems.push(`answered ${answer.status}: ${answer.body.toString('utf8').slice(0, 300)}`);
    if (answer.truncated || answer.bytes > MAX_ANSWER_BYTES) problems.push(`answered ${answer.bytes}${answer.truncated ? '+' : ''} bytes`);
    if (answer.status >= 400 && answer.bytes > MAX_ERROR_ANSWER_BYTES) problems.push(`an error answer of ${answer.bytes} bytes`);
  }
  const forbidden = target.forbidden.bytes() - mark.forbiddenBytes;
  if (forbidden > 0) problems.push(`the forbidden capture server received ${forbidden} bytes`);
  const malformed = target.allowed.malformed().slice(mark.allowedMalformed);
  if (malformed.length > 0) problems.push(`the allowed capture server received bytes that are not HTTP: ${malformed.join('; ')}`);
  const rss = target.serverRss();
  if (rss === null) problems.push('the server process is gone');
  else if (rss > MAX_SERVER_RSS_BYTES) problems.push(`the server's RSS is ${Math.round(rss / 2 ** 20)} MiB`);
  if (rss !== null && !(await target.healthy())) problems.push('the server no longer answers /api/health');
  return problems.length === 0 ? null : `${problems.join('; ')} (after ${what})`;
}

/** `harmAfter`, plus: the allowed capture server received no request at all. */
export async function harmAfterNonRelay(target: AttackTarget, what: string, answer: WireResponse | Error, mark: CaptureMark): Promise<string | null> {
  const harm = await harmAfter(target, what, answer, mark);
  const sent = target.allowed.requests().length - mark.allowedRequests;
  const extra = sent > 0 ? `the allowed capture server received ${sent} request(s) although nothing was relayed (after ${what})` : null;
  return [harm, extra].filter(Boolean).join('; ') || null;
}
