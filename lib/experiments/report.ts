// What each experiment of a run did to the client, for the Probe page and for stored reports (which measure on each
// read). Pure and client-safe.
import { measureFailover } from '@/lib/probe/failover';
import type { ProbeRecord } from '@/lib/probe/types';

import type { ExperimentEvent, MeasuredExperiment } from './types';

/** Each action with what it did to this client; the measurement is null for an action that failed to run. */
export function measureExperiments(events: readonly ExperimentEvent[], records: readonly ProbeRecord[]): MeasuredExperiment[] {
  return events.map((e) => ({ ...e, measurement: e.ok ? measureFailover({ records, afterIndex: e.afterIndex, atMs: e.atMs }) : null }));
}

