// A lane is one independent user session inside a run: the engine gives each unit of concurrency its own lane, and
// a lane never has two requests in flight. Plain HTTP lanes share the run's requests freely; protocol lanes each
// own a fixed share, so they know which step comes last.
import type { ProbeRecord, ProbeTransport, ProtocolFacts } from '../types';

export interface ProbeLane {
  /** Most requests this lane sends; Infinity when lanes share the run's requests freely. */
  readonly quota: number;
  step(index: number, transport: ProbeTransport, startedAt: number, signal?: AbortSignal): Promise<ProbeRecord>;
}

/** The record with the protocol's reading of it; a protocol error becomes the record's error unless the transport failed. */
export function withFacts(record: ProbeRecord, facts: ProtocolFacts, protocolError: string | null): ProbeRecord {
  const error = record.error ?? (protocolError === null ? null : { code: 'protocol' as const, message: protocolError });
  return { ...record, protocol: facts, error };
}
