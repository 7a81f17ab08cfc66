// A lane is one unit of concurrency inside a run, and never has two requests in flight. Plain HTTP lanes are parallel
// connections of one browser: they share its jar and take the run's requests freely. Protocol lanes are separate
// users: each has its own session (jar, app session) and owns a fixed share of the requests, so it knows which step
// comes last.
import type { ProbeRecord, ProbeTransport, ProtocolFacts } from '../types';

export interface ProbeLane {
  /** Most requests this lane sends; Infinity when lanes share the run's requests freely. */
  readonly quota: number;
  step(index: number, transport: ProbeTransport, startedAt: number, signal?: AbortSignal): Promise<ProbeRecord>;
  /**
   * The record of the page this lane's user loaded before the lane existed (`auto`'s first request), as this
   * protocol reads it; the lane takes the page as its own first step.
   */
  adopt?(record: ProbeRecord): ProbeRecord;
  /** Releases what the lane holds open (a Shiny session's socket); called once its last step is done or the run stops. */
  close?(): Promise<void>;
}

/** The record with the protocol's reading of it; a protocol error becomes the record's error unless the transport failed. */
export function withFacts(record: ProbeRecord, facts: ProtocolFacts, protocolError: string | null): ProbeRecord {
  const error = record.error ?? (protocolError === null ? null : { code: 'protocol' as const, message: protocolError });
  return { ...record, protocol: facts, error };
}
