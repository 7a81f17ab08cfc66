import 'server-only';
// Failover experiments as this server offers them: status, preview (which hands out a confirmation) and confirm.
import { getConfig } from '@/lib/env';
import { errorMessage } from '@/lib/errors';
import { getTopology } from '@/lib/topology';

import { serviceMatchesPatterns } from './config';
import { ConfirmationBook } from './confirm';
import { createExperimentDocker } from './docker-writer';
import { DISABLED_MESSAGE, ExperimentError, experimentsDisabled } from './errors';
import { createHaproxyRuntime } from './haproxy-runtime';
import { MemoryExperimentLog, type ExperimentLog } from './log';
import { planExperiment, type PlanContext } from './plan';
import { runPlannedExperiment } from './run';
import { actionInfo, experimentActions, type ExperimentAction, type ExperimentLogEntry, type ExperimentPreview, type ExperimentResult, type ExperimentsStatus, type ExperimentTarget } from './types';

const globalForExperiments = globalThis as unknown as { stickyscopeExperiments?: { log: ExperimentLog; book: ConfirmationBook } };

function state() {
  globalForExperiments.stickyscopeExperiments ??= { log: new MemoryExperimentLog(), book: new ConfirmationBook() };
  return globalForExperiments.stickyscopeExperiments;
}

/** Why an action cannot run on this server at all, whatever the target; null when it can. */
function unavailableReason(action: ExperimentAction): string | null {
  const config = getConfig();
  if (!config.experiments.enabled) return DISABLED_MESSAGE;
  if (actionInfo[action].via === 'haproxy') {
    return config.experiments.haproxyRuntimeApi ? null : 'needs HAProxy’s Runtime API: set HAPROXY_RUNTIME_API to its admin stats socket';
  }
  if (config.lab) return 'the embedded demo lab has no Docker engine to act on; connect a Swarm cluster (DOCKER_HOST)';
  return config.clusters[0]?.docker ? null : 'needs the Docker API of a Swarm manager: set DOCKER_HOST';
}

export async function getExperimentsStatus(): Promise<ExperimentsStatus> {
  const { experiments } = getConfig();
  const actions = experimentActions.map((id) => {
    const reason = unavailableReason(id);
    return { id, label: actionInfo[id].label, effect: actionInfo[id].effect, available: reason === null, reason };
  });
  let allowedServices: ExperimentsStatus['allowedServices'] = [];
  if (experiments.enabled) {
    const topology = await getTopology().catch(() => null);
    allowedServices = (topology?.services ?? []).filter((s) => serviceMatchesPatterns(s.name, experiments.services)).map((s) => ({ id: s.id, name: s.name }));
  }
  return {
    enabled: experiments.enabled,
    message: experiments.enabled ? null : DISABLED_MESSAGE,
    services: experiments.services,
    allowedServices,
    actions,
    log: state().log.list(),
  };
}

async function context(action: ExperimentAction): Promise<PlanContext> {
  const config = getConfig();
  const reason = unavailableReason(action);
  if (!config.experiments.enabled) throw experimentsDisabled();
  if (reason) throw new ExperimentError('experiment-unavailable', `${actionInfo[action].label}: ${reason}`);
  const address = config.experiments.haproxyRuntimeApi;
  return {
    config: config.experiments,
    docker: createExperimentDocker(config.experiments, config.clusters[0]?.docker ?? null),
    haproxy: address ? createHaproxyRuntime(address, config.clusters[0]?.docker?.timeoutMs) : null,
    topology: await getTopology(),
  };
}

function logRefusal(target: Partial<ExperimentTarget>, who: string, step: ExperimentLogEntry['step'], error: unknown) {
  state().log.append({
    who,
    step,
    action: target.action ?? null,
    service: target.service ?? null,
    taskId: target.taskId ?? null,
    replica: target.replica ?? null,
    result: error instanceof ExperimentError ? 'refused' : 'failed',
    message: errorMessage(error),
  });
}

/** Checks the target and says exactly what would happen; nothing is changed. */
export async function previewExperiment(target: ExperimentTarget, who: string): Promise<ExperimentPreview> {
  try {
    const { run: _run, ...view } = await planExperiment(target, await context(target.action));
    const { token, expiresAt } = state().book.issue({ action: target.action, service: target.service, taskId: target.taskId });
    state().log.append({ who, step: 'preview', ...target, result: 'ok', message: view.summary });
    return { ...view, token, expiresAt: new Date(expiresAt).toISOString() };
  } catch (error) {
    logRefusal(target, who, 'preview', error);
    throw error;
  }
}

/** Runs what a preview showed, once, if `token` is that preview's; the target is checked again first. */
export async function confirmExperiment(target: ExperimentTarget, token: string, who: string): Promise<ExperimentResult> {
  try {
    if (!getConfig().experiments.enabled) throw experimentsDisabled();
    const redeemed = state().book.redeem(token, { action: target.action, service: target.service, taskId: target.taskId });
    if (!redeemed.ok) throw new ExperimentError('confirmation-invalid', redeemed.reason);
    const plan = await planExperiment(target, await context(target.action));
    return await runPlannedExperiment(plan, target, state().log, who, 'confirm');
  } catch (error) {
    logRefusal(target, who, 'confirm', error);
    throw error;
  }
}

/** Logs a request refused before it named a valid target (bad body, experiments off). */
export function logRefusedRequest(who: string, error: unknown): void {
  logRefusal({}, who, 'request', error);
}
