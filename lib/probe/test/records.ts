// Builders for synthetic probe records in tests.
import { NO_ATTRIBUTES } from '../jar';
import type { CookieAttributes, ProbeRecord, SetCookieEvent } from '../types';

export const attrs = (over: Partial<CookieAttributes> = {}): CookieAttributes => ({ ...NO_ATTRIBUTES, ...over });

export const setEvent = (name: string, value: string, over: Partial<SetCookieEvent> = {}): SetCookieEvent => ({
  name,
  value,
  attributes: attrs(),
  outcome: 'stored',
  reason: null,
  secureVia: null,
  previousValue: null,
  ...over,
});

export function rec(index: number, replica: string | null, over: Partial<ProbeRecord> = {}): ProbeRecord {
  return {
    index,
    startedAt: (index - 1) * 10,
    latencyMs: 1,
    status: 200,
    replica,
    identitySource: replica === null ? null : 'body:hostname',
    setCookies: [],
    cookieSent: [],
    withheld: [],
    balancer: null,
    error: null,
    bodyTruncated: false,
    ...over,
  };
}

/** Records 1..n answered by `replicas[i % len]`. */
export function sequence(replicas: string[], n: number, over: (i: number) => Partial<ProbeRecord> = () => ({})): ProbeRecord[] {
  return Array.from({ length: n }, (_, i) => rec(i + 1, replicas[i % replicas.length] ?? null, over(i + 1)));
}
