// Experiments as marks on a run's request-index charts, the same on the live Probe page and on a stored report.
import type { ChartAnnotation } from '@/components/charts/chart-index-lanes';
import { actionInfo, type ExperimentEvent } from '@/lib/experiments/types';

/** Each action between the request that had completed when it was sent and the next one. */
export function experimentAnnotations(events: readonly ExperimentEvent[]): ChartAnnotation[] {
  return events.map((e) => ({ x: e.afterIndex + 0.5, label: `${actionInfo[e.action].label}${e.ok ? '' : ' (failed)'}`, failed: !e.ok }));
}
