import 'server-only';
// Runs a planned experiment and logs the outcome, whoever asked (the API after a confirmation, or the CLI).
import { errorMessage } from '@/lib/errors';

import type { ExperimentLog } from './log';
import type { ExperimentPlan } from './plan';
import type { ExperimentResult, ExperimentTarget } from './types';

export async function runPlannedExperiment(
  plan: ExperimentPlan,
  target: ExperimentTarget,
  log: ExperimentLog,
  who: string,
  step: 'confirm' | 'run',
): Promise<ExperimentResult> {
  const { run, ...view } = plan;
  const requestedAt = new Date().toISOString();
  const entry = { who, step, action: target.action, service: target.service, taskId: target.taskId, replica: target.replica };
  try {
    const outcome = await run();
    const message = [outcome.message, ...outcome.warnings.map((w) => `engine warning: ${w}`)].join('; ');
    const logged = await log.append({ ...entry, result: 'ok', message: `${message} (${plan.calls.join('; ')})` });
    return { ...view, ok: true, message, requestedAt, appliedAt: new Date().toISOString(), logId: logged.id };
  } catch (error) {
    const message = errorMessage(error);
    const logged = await log.append({ ...entry, result: 'failed', message });
    return { ...view, ok: false, message, requestedAt, appliedAt: new Date().toISOString(), logId: logged.id };
  }
}
