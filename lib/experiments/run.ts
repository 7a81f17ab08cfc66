import 'server-only';
// Runs a planned experiment and logs the outcome, whoever asked (the API after a confirmation, or the CLI).
import { errorMessage } from '@/lib/errors';

import type { ExperimentLog, NewLogEntry } from './log';
import type { ExperimentPlan } from './plan';
import type { ExperimentResult, ExperimentTarget } from './types';

/** The entry's id; null when the log could not be written, which must not change what the caller is told happened. */
async function appendOutcome(log: Pick<ExperimentLog, 'append'>, entry: NewLogEntry): Promise<{ id: string | null; note: string }> {
  try {
    return { id: (await log.append(entry)).id, note: '' };
  } catch (error) {
    console.error(`stickyscope: experiment log not written (${errorMessage(error)}): ${JSON.stringify(entry)}`);
    return { id: null, note: `; the experiment log could not be written (${errorMessage(error)})` };
  }
}

export async function runPlannedExperiment(
  plan: ExperimentPlan,
  target: ExperimentTarget,
  log: Pick<ExperimentLog, 'append'>,
  who: string,
  step: 'confirm' | 'run',
): Promise<ExperimentResult> {
  const { run, ...view } = plan;
  const requestedAt = new Date().toISOString();
  const entry = { who, step, action: target.action, service: target.service, taskId: target.taskId, replica: target.replica };
  let ok: boolean;
  let message: string;
  let logMessage: string;
  try {
    const outcome = await run();
    ok = true;
    message = [outcome.message, ...outcome.warnings.map((w) => `engine warning: ${w}`)].join('; ');
    logMessage = `${message} (${plan.calls.join('; ')})`;
  } catch (error) {
    ok = false;
    message = errorMessage(error);
    logMessage = message;
  }
  const appliedAt = new Date().toISOString();
  const logged = await appendOutcome(log, { ...entry, result: ok ? 'ok' : 'failed', message: logMessage });
  return { ...view, ok, message: message + logged.note, requestedAt, appliedAt, logId: logged.id };
}
