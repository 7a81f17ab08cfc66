import { describe, expect, it } from 'vitest';
import { rec } from '@/lib/probe/test/records';
import { measureExperiments } from './report';
import type { ExperimentEvent } from './types';

describe('measureExperiments', () => {
  const event = (over: Partial<ExperimentEvent>): ExperimentEvent => ({
    id: 'e1',
    action: 'kill-task',
    service: 'web',
    taskId: 't1',
    taskName: 'web.1',
    replica: 'a',
    afterIndex: 3,
    atMs: 25,
    ok: true,
    message: 'killed',
    ...over,
  });
  const records = [rec(1, 'a'), rec(2, 'a'), rec(3, 'a'), rec(4, 'b'), rec(5, 'b')];

  it('measures each action that ran, and none that failed', () => {
    const [ran, failed] = measureExperiments([event({}), event({ id: 'e2', ok: false })], records);
    expect(ran?.measurement).toMatchObject({ outcome: 'recovered', pinnedReplica: 'a', repinnedTo: 'b' });
    expect(failed?.measurement).toBeNull();
  });
});
