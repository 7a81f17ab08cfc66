// Planning against an engine held in memory: which calls an experiment would send, and when it refuses.
import { describe, expect, it } from 'vitest';
import { aService, aTask } from '@/lib/affinity/test-model';
import type { ExperimentDocker, ServiceForUpdate, TaskFacts } from './docker-writer';
import { planExperiment, type PlanContext } from './plan';
import type { ExperimentAction } from './types';

const task = aTask(1);

/** An engine with one service of `replicas` and, unless removed, the task the probe pinned; it records updates. */
function engine(replicas: number, pinnedTask: TaskFacts | null) {
  const service: ServiceForUpdate = { id: 'svc-web', name: 'shop_web', version: 7, replicas, forceUpdate: 0, spec: { Name: 'shop_web', Mode: { Replicated: { Replicas: replicas } } } };
  const updates: Record<string, unknown>[] = [];
  const docker: ExperimentDocker = {
    target: 'memory',
    engineNodeId: async () => 'node-1',
    inspectService: async (id) => (id === service.id ? service : null),
    inspectTask: async (id) => (pinnedTask?.id === id ? pinnedTask : null),
    updateService: async (_s, spec) => (updates.push(spec), { warnings: [] }),
    killContainer: async () => {},
  };
  const ctx: PlanContext = { config: { enabled: true, services: ['shop_*'], haproxyRuntimeApi: null }, docker, haproxy: null, topology: { services: [aService()] } };
  return { ctx, updates };
}

const running: TaskFacts = { id: task.id, serviceId: 'svc-web', nodeId: 'node-1', slot: 1, state: 'running', containerId: 'c'.repeat(64) };
const target = (action: ExperimentAction) => ({ action, service: 'shop_web', taskId: task.id, replica: 'web-1' });

describe('planExperiment', () => {
  it('scales up when the pinned task is gone, as after the scale-down it undoes', async () => {
    const { ctx, updates } = engine(1, null);
    const plan = await planExperiment(target('scale-up'), ctx);
    expect(plan.summary).toBe('Scale service shop_web from 1 to 2 replicas.');
    expect(plan.task).toEqual({ id: task.id, name: 'shop_web.1', node: 'node-1', containerId: null });
    expect(plan.warnings).toEqual(['Task shop_web.1 no longer exists; Swarm starts a new task in its place.']);
    expect(plan.calls).toEqual(['POST /services/svc-web/update?version=7 (replicas 1 → 2)']);
    await plan.run();
    expect(updates).toEqual([{ Name: 'shop_web', Mode: { Replicated: { Replicas: 2 } } }]);
  });

  it('scales up with the task still there, showing it as the engine has it', async () => {
    const plan = await planExperiment(target('scale-up'), engine(2, running).ctx);
    expect(plan.task).toEqual({ id: task.id, name: 'shop_web.1', node: 'node-1', containerId: running.containerId });
    expect(plan.warnings).toEqual([]);
  });

  it('refuses the task-level actions once the task is gone', async () => {
    for (const action of ['kill-task', 'scale-down', 'restart'] as const) {
      await expect(planExperiment(target(action), engine(2, null).ctx)).rejects.toThrow(/task does not exist/);
    }
  });

  it('refuses a service outside the allowed patterns before asking the engine anything', async () => {
    const { ctx } = engine(2, running);
    ctx.docker.inspectService = async () => {
      throw new Error('the engine was asked');
    };
    await expect(planExperiment({ ...target('restart'), service: 'db' }, ctx)).rejects.toThrow(/STICKYSCOPE_EXPERIMENT_SERVICES=shop_\*/);
  });
});
