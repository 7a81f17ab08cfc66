import 'server-only';
// Failover experiments as this server offers them: status, preview (which hands out a confirmation) and confirm.
import { getConfig } from '@/lib/env';
import { errorMessage } from '@/lib/errors';
import { getDashboardDatabase } from '@/lib/reports';
import { getTopology } from '@/lib/topology';

import { assertAvailable, experimentDockerConnection, unavailableReason } from './availability';
import { serviceMatchesPatterns } from './config';
import { ConfirmationBook } from './confirm';
import { createExperimentDocker } from './docker-writer';
import { DISABLED_MESSAGE, ExperimentError, experimentsDisabled } from './errors';
import { createHaproxyRuntime } from './haproxy-runtime';
import { DatabaseExperimentLog } from './database-log';
import { planExperiment, type PlanContext } from './plan';
import { runPlannedExperiment } from './run';
import { actionInfo, experimentActions, type ExperimentAction, type ExperimentLogEntry, type ExperimentPreview, type ExperimentResult, type ExperimentsStatus, type ExperimentTarget } from './types';

/** The log and the open confirmations, in the dashboard's database: any dashboard process on it may take the next step. */
async function journal() {
  const db = await getDashboardDatabase();
  return { log: new DatabaseExperimentLog(db), book: new ConfirmationBook(db) };
}

export async function getExperimentsStatus(): Promise<ExperimentsStatus> {
  const config = getConfig();
  const { experiments } = config;
  const actions = experimentActions.map((id) => {
    const reason = unavailableReason(id, config);
    return { id, label: actionInfo[id].label, effect: actionInfo[id].effect, available: reason === null, reason };
  });
  let allowedServices: ExperimentsStatus['allowedServices'] = [];
  if (experiments.enabled) {
    const topology = await getTopology().catch(() => null);
    allowedServices = (topology?.services ?? []).filter((s) => serviceMatchesPatterns(s.name, experiments.services)).map((s) => ({ id: s.id, name: s.name }));
  }
  let log: ExperimentsStatus['log'] = [];
  let logError: string | null = null;
  try {
    log = await (await journal()).log.list();
  } catch (error) {
    logError = `the experiment log could not be read: ${errorMessage(error)}`;
  }
  return {
    enabled: experiments.enabled,
    message: experiments.enabled ? null : DISABLED_MESSAGE,
    services: experiments.services,
    allowedServices,
    actions,
    log,
    logError,
  };
}

async function context(action: ExperimentAction): Promise<PlanContext> {
  const config = getConfig();
  assertAvailable(action, config);
  const docker = experimentDockerConnection(config);
  const address = config.experiments.haproxyRuntimeApi;
  return {
    config: config.experiments,
    docker: createExperimentDocker(config.experiments, docker),
    haproxy: address ? createHaproxyRuntime(address, docker?.timeoutMs) : null,
    topology: await getTopology(),
  };
}

/** Logs why a step was refused; the refusal is what the caller reports, even when the log cannot be written. */
async function logRefusal(target: Partial<ExperimentTarget>, who: string, step: ExperimentLogEntry['step'], error: unknown): Promise<void> {
  const entry = {
    who,
    step,
    action: target.action ?? null,
    service: target.service ?? null,
    taskId: target.taskId ?? null,
    replica: target.replica ?? null,
    result: error instanceof ExperimentError ? ('refused' as const) : ('failed' as const),
    message: errorMessage(error),
  };
  try {
    await (await journal()).log.append(entry);
  } catch (logError) {
    console.error(`stickyscope: experiment log not written (${errorMessage(logError)}): ${JSON.stringify(entry)}`);
  }
}

/** Checks the target and says exactly what would happen; nothing is changed. */
export async function previewExperiment(target: ExperimentTarget, who: string): Promise<ExperimentPreview> {
  try {
    const { run: _run, ...view } = await planExperiment(target, await context(target.action));
    const { log, book } = await journal();
    const { token, expiresAt } = await book.issue({ action: target.action, service: target.service, taskId: target.taskId });
    await log.append({ who, step: 'preview', ...target, result: 'ok', message: view.summary });
    return { ...view, token, expiresAt: new Date(expiresAt).toISOString() };
  } catch (error) {
    await logRefusal(target, who, 'preview', error);
    throw error;
  }
}

/** Runs what a preview showed, once, if `token` is that preview's; the target is checked again first. */
export async function confirmExperiment(target: ExperimentTarget, token: string, who: string): Promise<ExperimentResult> {
  try {
    if (!getConfig().experiments.enabled) throw experimentsDisabled();
    const { log, book } = await journal();
    const redeemed = await book.redeem(token, { action: target.action, service: target.service, taskId: target.taskId });
    if (!redeemed.ok) throw new ExperimentError('confirmation-invalid', redeemed.reason);
    const plan = await planExperiment(target, await context(target.action));
    return await runPlannedExperiment(plan, target, log, who, 'confirm');
  } catch (error) {
    await logRefusal(target, who, 'confirm', error);
    throw error;
  }
}

/** Logs a request refused before it named a valid target (bad body, experiments off). */
export function logRefusedRequest(who: string, error: unknown): Promise<void> {
  return logRefusal({}, who, 'request', error);
}
