'use client';

// Failover experiments of the current run: the task the run is pinned to, the two-step preview/confirm calls, the
// events placed on the run's timeline, and, once the run has ended, what each did to this client.
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useCallback, useMemo, useState, type RefObject } from 'react';
import type { ChartAnnotation } from '@/components/charts/chart-scatter-lanes';
import type { RunView } from '@/components/probes/use-probe-run';
import { allowedTask, pinnedReplica } from '@/lib/experiments/pinned';
import { experimentAnnotations } from './experiment-annotations';
import { measureExperiments } from '@/lib/experiments/report';
import { type ExperimentEvent, type ExperimentPreview, type ExperimentResult, type ExperimentsStatus, type ExperimentTarget, type MeasuredExperiment } from '@/lib/experiments/types';
import type { RecordLog } from '@/lib/probe/record-log';
import { confirmExperimentRequest, experimentsOptions, requestExperimentPreview } from '@/lib/queries/experiments';
import { queryKeys } from '@/lib/queries/keys';
import type { ReplicaMatch, ReplicaTask } from '@/lib/topology/replica-map';

export type RunExperiments = {
  status: ExperimentsStatus | undefined;
  /** Why the experiments status could not be read, when it could not. */
  statusError: string | null;
  /** The replica the run is pinned to now, and its task when that belongs to a service experiments may act on. */
  pinned: { replica: string; task: ReplicaTask | null } | null;
  running: boolean;
  events: ExperimentEvent[];
  /** Filled once the run has ended. */
  measured: MeasuredExperiment[];
  annotations: ChartAnnotation[];
  preview(target: ExperimentTarget): Promise<ExperimentPreview>;
  confirm(target: ExperimentTarget, preview: ExperimentPreview): Promise<ExperimentResult>;
};

export function useRunExperiments(
  view: RunView,
  records: RefObject<RecordLog>,
  lookup: (replica: string) => ReplicaMatch | null,
  /** Called with each action as it happened, e.g. to save it with the run's report. */
  onEvent?: (event: ExperimentEvent) => void,
): RunExperiments {
  const queryClient = useQueryClient();
  const { data: status, error } = useQuery(experimentsOptions());
  const [log, setLog] = useState<{ run: number | null; events: ExperimentEvent[] }>({ run: null, events: [] });
  const events = useMemo(() => (log.run === view.startedAt ? log.events : []), [log, view.startedAt]);
  const running = view.status === 'running';
  const done = view.verdict?.total ?? 0;

  const replica = status?.enabled && done > 0 ? pinnedReplica(records.current) : null;
  const allowedNames = useMemo(() => status?.allowedServices.map((s) => s.name) ?? [], [status]);
  const pinned = useMemo(
    () => (replica === null ? null : { replica, task: allowedTask(lookup(replica), allowedNames) }),
    [replica, lookup, allowedNames],
  );

  const measured = useMemo(
    // `done` re-measures when the final records arrive.
    () => (running || events.length === 0 || done === 0 ? [] : measureExperiments(events, records.current.toArray())),
    [running, events, records, done],
  );

  const annotations = useMemo(() => experimentAnnotations(events), [events]);

  const preview = useCallback((target: ExperimentTarget) => requestExperimentPreview({ step: 'preview', ...target }), []);

  const startedAt = view.startedAt;
  const confirm = useCallback(
    async (target: ExperimentTarget, shown: ExperimentPreview) => {
      // Placed on the run's clock when it is sent, the way the engine stamps requests.
      const afterIndex = records.current.length;
      const atMs = startedAt === null ? 0 : Date.now() - startedAt;
      try {
        const result = await confirmExperimentRequest({ step: 'confirm', token: shown.token, ...target });
        const event: ExperimentEvent = {
          id: result.logId ?? `${result.requestedAt} ${target.action}`,
          action: target.action,
          service: result.service.name,
          taskId: result.task.id,
          taskName: result.task.name,
          replica: target.replica,
          afterIndex,
          atMs,
          ok: result.ok,
          message: result.message,
        };
        setLog((l) => ({ run: startedAt, events: [...(l.run === startedAt ? l.events : []), event] }));
        onEvent?.(event);
        return result;
      } finally {
        void queryClient.invalidateQueries({ queryKey: queryKeys.experiments });
      }
    },
    [records, startedAt, queryClient, onEvent],
  );

  return { status, statusError: error ? error.message : null, pinned, running, events, measured, annotations, preview, confirm };
}
