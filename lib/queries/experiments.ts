import { queryOptions } from '@tanstack/react-query';
import type { ExperimentRequest } from '@/lib/experiments/request';
import type { ExperimentPreview, ExperimentResult, ExperimentsStatus } from '@/lib/experiments/types';
import { fetchJson } from './fetch-json';
import { queryKeys } from './keys';

/** Whether experiments are on, on which services, and the log; the log changes only when someone acts. */
export function experimentsOptions() {
  return queryOptions({
    queryKey: queryKeys.experiments,
    queryFn: () => fetchJson<ExperimentsStatus>('/api/experiments'),
    refetchInterval: 15_000,
    staleTime: 5_000,
  });
}

function postExperiment<T>(body: ExperimentRequest): Promise<T> {
  return fetchJson<T>('/api/experiments', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
}

export const requestExperimentPreview = (body: Extract<ExperimentRequest, { step: 'preview' }>) => postExperiment<ExperimentPreview>(body);
export const confirmExperimentRequest = (body: Extract<ExperimentRequest, { step: 'confirm' }>) => postExperiment<ExperimentResult>(body);
