// Requests the way the dashboard's own pages send them (same origin, JSON), for the steps of an attack that are not
// the attack itself: creating a run to share, resetting the lab, probing through the relay (bodies: relay-client.ts).
import type { AttackTarget } from './dashboard';
import type { RawHeader } from './raw-http';
import { jsonOf } from './raw-http';

export function sameOriginHeaders(target: AttackTarget): RawHeader[] {
  return [
    ['Origin', target.base],
    ['Sec-Fetch-Site', 'same-origin'],
    ['Content-Type', 'application/json'],
  ];
}

export type JsonAnswer = { status: number; json: unknown; headers: Record<string, string>; bytes: number };

/** Sends `body` as JSON from the dashboard's own origin; `extra` headers are added (or replace same-named ones). */
export async function sendJson(target: AttackTarget, method: string, path: string, body?: unknown, extra: RawHeader[] = []): Promise<JsonAnswer> {
  const names = new Set(extra.map(([name]) => name.toLowerCase()));
  const headers = [...sameOriginHeaders(target).filter(([name]) => !names.has(name.toLowerCase())), ...extra];
  const answer = await target.send({ method, path, headers, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
  return { status: answer.status, json: jsonOf(answer), headers: answer.headers, bytes: answer.bytes };
}
