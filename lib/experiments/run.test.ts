import { afterEach, describe, expect, it, vi } from 'vitest';
import { stampLogEntry, type NewLogEntry } from './log';
import type { ExperimentPlan } from './plan';
import { runPlannedExperiment } from './run';
import type { ExperimentTarget } from './types';

const target: ExperimentTarget = { action: 'restart', service: 'web-sticky', taskId: 'task1', replica: 'app-1' };

function plannedRestart(run: ExperimentPlan['run']): ExperimentPlan & { sent: number } {
  const plan = {
    action: 'restart' as const,
    service: { id: 'svc1', name: 'web-sticky' },
    task: { id: 'task1', name: 'web-sticky.1', node: 'node1', containerId: null },
    summary: 'Force a rolling restart of service web-sticky.',
    calls: ['POST /services/svc1/update?version=7 (ForceUpdate 0 → 1)'],
    warnings: [],
    sent: 0,
    run: async () => {
      plan.sent++;
      return run();
    },
  };
  return plan;
}

const restarted = async () => ({ message: 'forced a rolling restart of web-sticky', warnings: [] });

function recordingLog() {
  const entries: NewLogEntry[] = [];
  return { entries, append: async (e: NewLogEntry) => (entries.push(e), stampLogEntry(e, { write: () => {} })) };
}

const brokenLog = { append: async (): Promise<never> => Promise.reject(new Error('database is locked')) };

afterEach(() => vi.restoreAllMocks());

describe('runPlannedExperiment', () => {
  it('runs the calls once and logs the outcome with them', async () => {
    const plan = plannedRestart(restarted);
    const log = recordingLog();
    const result = await runPlannedExperiment(plan, target, log, 'cli root@lab', 'run');
    expect(plan.sent).toBe(1);
    expect(result).toMatchObject({ ok: true, message: 'forced a rolling restart of web-sticky', logId: expect.stringMatching(/^[0-9a-f]{16}$/) });
    expect(log.entries).toEqual([
      expect.objectContaining({ result: 'ok', message: 'forced a rolling restart of web-sticky (POST /services/svc1/update?version=7 (ForceUpdate 0 → 1))' }),
    ]);
  });

  it('says the action ran when only the log could not be written, and reports the lost entry on stderr', async () => {
    const stderr = vi.spyOn(console, 'error').mockImplementation(() => {});
    const plan = plannedRestart(restarted);
    const result = await runPlannedExperiment(plan, target, brokenLog, 'cli root@lab', 'run');
    expect(plan.sent).toBe(1);
    expect(result.ok).toBe(true);
    expect(result.logId).toBeNull();
    expect(result.message).toBe('forced a rolling restart of web-sticky; the experiment log could not be written (database is locked)');
    expect(stderr).toHaveBeenCalledWith(expect.stringMatching(/experiment log not written \(database is locked\).*"result":"ok"/));
  });

  it('says a failed action failed, whether or not the log takes it', async () => {
    vi.spyOn(console, 'error').mockImplementation(() => {});
    const refusedByEngine = async (): Promise<never> => Promise.reject(new Error('update out of sequence'));
    const log = recordingLog();
    const logged = await runPlannedExperiment(plannedRestart(refusedByEngine), target, log, 'cli root@lab', 'run');
    expect(logged).toMatchObject({ ok: false, message: 'update out of sequence' });
    expect(log.entries).toEqual([expect.objectContaining({ result: 'failed', message: 'update out of sequence' })]);
    const unlogged = await runPlannedExperiment(plannedRestart(refusedByEngine), target, brokenLog, 'cli root@lab', 'run');
    expect(unlogged).toMatchObject({ ok: false, logId: null, message: expect.stringMatching(/^update out of sequence; the experiment log could not be written/) });
  });
});
