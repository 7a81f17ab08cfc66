// What each experiment of a run did to the client, for the Probe page and for stored reports. Pure and client-safe.
import { measureFailover } from '@/lib/probe/failover';
import type { ProbeRecord } from '@/lib/probe/types';

import type { ExperimentEvent, MeasuredExperiment } from './types';

/** Each action with what it did to this client; the measurement is null for an action that failed to run. */
export function measureExperiments(events: readonly ExperimentEvent[], records: readonly ProbeRecord[]): MeasuredExperiment[] {
  return events.map((e) => ({ ...e, measurement: e.ok ? measureFailover({ records, afterIndex: e.afterIndex, atMs: e.atMs }) : null }));
}

/**
 * The experiments of a run as a stored report carries them. The report schema (lib/reports/schema.ts) has no field
 * for them yet; this is the payload to attach once it has.
 */
export function toReportExperiments(events: readonly ExperimentEvent[], records: readonly ProbeRecord[]) {
  return { experiments: measureExperiments(events, records) };
}
