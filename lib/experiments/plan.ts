import 'server-only';
// Turns a request into the exact calls an experiment will make, after checking the target against fresh engine
// state, and runs them. Shared by the API (preview, then confirm) and the CLI.
import type { Topology } from '@/lib/topology/types';
import { taskName } from '@/lib/topology/replica-map';

import type { ExperimentsConfig } from './config';
import type { ExperimentDocker, ServiceForUpdate } from './docker-writer';
import { ExperimentError } from './errors';
import type { HaproxyRuntime } from './haproxy-runtime';
import { matchServersToTask, serverKey, type HaproxyServer } from './haproxy-servers';
import { TASK_ID_PATTERN } from './request';
import { checkExperimentTarget, checkServiceAllowed } from './targets';
import type { ExperimentPlanView, ExperimentTarget } from './types';

export type PlanContext = {
  config: ExperimentsConfig;
  docker: ExperimentDocker;
  haproxy: HaproxyRuntime | null;
  /** The dashboard's read-only view: the service's id, and the task's hostname and addresses for HAProxy matching. */
  topology: Pick<Topology, 'services'>;
};

export type ExperimentPlan = ExperimentPlanView & {
  /** Sends the calls in order; resolves to what the engine or HAProxy said. */
  run(): Promise<{ message: string; warnings: string[] }>;
};

const refused = (reason: string) => new ExperimentError('experiment-refused', reason);

function withReplicas(spec: Record<string, unknown>, replicas: number): Record<string, unknown> {
  const mode = (spec.Mode ?? {}) as Record<string, unknown>;
  return { ...spec, Mode: { ...mode, Replicated: { ...((mode.Replicated ?? {}) as Record<string, unknown>), Replicas: replicas } } };
}

function withForceUpdate(spec: Record<string, unknown>, forceUpdate: number): Record<string, unknown> {
  return { ...spec, TaskTemplate: { ...((spec.TaskTemplate ?? {}) as Record<string, unknown>), ForceUpdate: forceUpdate } };
}

function updateCall(service: ServiceForUpdate, change: string): string {
  return `POST /services/${service.id}/update?version=${service.version} (${change})`;
}

export async function planExperiment(target: ExperimentTarget, ctx: PlanContext): Promise<ExperimentPlan> {
  const { action } = target;
  const allowed = checkServiceAllowed(target.service, ctx.config.services);
  if (!allowed.ok) throw refused(allowed.reason);
  if (!TASK_ID_PATTERN.test(target.taskId)) throw refused(`"${target.taskId}" is not a Swarm task id`);
  const known = ctx.topology.services.find((s) => s.name === target.service);
  if (!known) throw refused(`service "${target.service}" is not in the cluster stickyscope reads`);
  const knownTask = known.tasks.find((t) => t.id === target.taskId);

  const [service, task, engineNodeId, haproxyServers] = await Promise.all([
    ctx.docker.inspectService(known.id),
    ctx.docker.inspectTask(target.taskId),
    action === 'kill-task' ? ctx.docker.engineNodeId() : Promise.resolve(null),
    (action === 'drain' || action === 'ready') && ctx.haproxy ? ctx.haproxy.listServers() : Promise.resolve(null),
  ]);
  const name = taskName({ name: target.service }, { id: target.taskId, slot: task?.slot ?? knownTask?.slot ?? null });
  const matched: HaproxyServer[] | null = haproxyServers
    ? matchServersToTask(haproxyServers, { hostname: knownTask?.hostname ?? null, name, addresses: knownTask?.addresses ?? [] })
    : null;
  const check = checkExperimentTarget({
    action,
    requestedService: target.service,
    service: service && { id: service.id, name: service.name, replicas: service.replicas },
    task,
    engineNodeId,
    haproxyServers: matched && matched.map(serverKey),
  });
  if (!check.ok) throw refused(check.reason);
  // The check guarantees the service, and the task for every action but scale-up; the narrowing is for the compiler.
  if (!service) throw refused(`service "${target.service}" is gone`);

  const view: Omit<ExperimentPlanView, 'summary' | 'calls' | 'warnings'> = {
    action,
    service: { id: service.id, name: service.name },
    // A task that is gone is shown as last read; it has no container any more.
    task: task
      ? { id: task.id, name, node: task.nodeId, containerId: task.containerId }
      : { id: target.taskId, name, node: knownTask?.node ?? null, containerId: null },
  };
  const plan = (summary: string, calls: string[], warnings: string[], run: ExperimentPlan['run']): ExperimentPlan => ({ ...view, summary, calls, warnings, run });
  const update = async (spec: Record<string, unknown>, message: string) => {
    const { warnings } = await ctx.docker.updateService(service, spec);
    return { message, warnings };
  };

  switch (action) {
    case 'kill-task': {
      const container = task?.containerId;
      if (!container) throw refused(`task ${name} has no container to stop`);
      return plan(
        `Kill container ${container.slice(0, 12)} of task ${name} (SIGKILL), as a crash would.`,
        [`POST /containers/${container}/kill`],
        ['Swarm starts a replacement task by the service’s restart policy; requests pinned to this one fail or move until then.'],
        async () => {
          await ctx.docker.killContainer(container);
          return { message: `killed container ${container.slice(0, 12)} of ${name}`, warnings: [] };
        },
      );
    }
    case 'scale-down':
    case 'scale-up': {
      const from = service.replicas!;
      const to = action === 'scale-down' ? from - 1 : from + 1;
      return plan(
        `Scale service ${service.name} from ${from} to ${to} replicas.`,
        [updateCall(service, `replicas ${from} → ${to}`)],
        action === 'scale-down'
          ? [`Swarm chooses which task to remove; ${name} may be spared, and then this client is not affected.`]
          : task
            ? []
            : [`Task ${name} no longer exists; Swarm starts a new task in its place.`],
        () => update(withReplicas(service.spec, to), `scaled ${service.name} from ${from} to ${to} replicas`),
      );
    }
    case 'restart':
      return plan(
        `Force a rolling restart of service ${service.name}: every task is replaced, as its update settings pace it.`,
        [updateCall(service, `ForceUpdate ${service.forceUpdate} → ${service.forceUpdate + 1}`)],
        ['Every replica goes away in turn, not only the pinned one.'],
        () => update(withForceUpdate(service.spec, service.forceUpdate + 1), `forced a rolling restart of ${service.name}`),
      );
    case 'drain':
    case 'ready': {
      const servers = matched!;
      const haproxy = ctx.haproxy!;
      const keys = servers.map(serverKey);
      return plan(
        action === 'drain' ? `Drain ${keys.join(', ')} in HAProxy (the server${keys.length > 1 ? 's' : ''} of task ${name}).` : `Set ${keys.join(', ')} back to ready in HAProxy.`,
        keys.map((k) => `set server ${k} state ${action}`),
        action === 'drain' ? ['The server stays drained until it is set back to ready (the "ready" action).'] : [],
        async () => {
          for (const s of servers) await haproxy.setServerState(s.backend, s.server, action);
          return { message: `set ${keys.join(', ')} to ${action} in HAProxy at ${haproxy.target}`, warnings: [] };
        },
      );
    }
  }
}
