import { describe, expect, it } from 'vitest';
import { rec } from '@/lib/probe/test/records';
import type { ReplicaTask } from '@/lib/topology/replica-map';
import { allowedTask, pinnedReplica } from './pinned';

const task = (serviceName: string, slot: number): ReplicaTask => ({
  taskId: `${serviceName}-t${slot}`,
  taskName: `${serviceName}.${slot}`,
  serviceId: `${serviceName}-id`,
  serviceName,
  slot,
  node: 'n1',
  state: 'running',
  via: 'hostname',
});

describe('pinnedReplica', () => {
  it('is the replica of the latest successful, identified response', () => {
    const failed = rec(4, null, { status: null, error: { code: 'refused', message: 'refused' } });
    expect(pinnedReplica([rec(1, 'a'), rec(2, 'b'), rec(3, null), failed])).toBe('b');
    expect(pinnedReplica([rec(1, 'a', { status: 502 })])).toBeNull();
    expect(pinnedReplica([])).toBeNull();
  });
});

describe('allowedTask', () => {
  it('takes the task when its service is allowed', () => {
    expect(allowedTask({ task: task('web', 1) }, ['web'])).toEqual(task('web', 1));
    expect(allowedTask({ task: task('db', 1) }, ['web'])).toBeNull();
    expect(allowedTask(null, ['web'])).toBeNull();
  });

  it('settles an ambiguous hostname when only one candidate is allowed, and not otherwise', () => {
    expect(allowedTask({ task: null, ambiguous: [task('web', 1), task('api', 1)] }, ['web'])).toEqual(task('web', 1));
    expect(allowedTask({ task: null, ambiguous: [task('web', 1), task('api', 1)] }, ['web', 'api'])).toBeNull();
  });
});
