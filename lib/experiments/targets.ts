// Whether an experiment may act on what a request names. Pure: facts read fresh from the engine in, a verdict out.
import { serviceMatchesPatterns } from './config';
import type { ExperimentAction } from './types';

export const EXPERIMENT_SERVICES_SETTING = 'STICKYSCOPE_EXPERIMENT_SERVICES';

/** What the engine says now about a request's target. The service name was checked against the allowed patterns before any of it was read (checkServiceAllowed). */
export type TargetFacts = {
  action: ExperimentAction;
  /** The service name the request gave. */
  requestedService: string;
  service: { id: string; name: string; replicas: number | null } | null;
  task: { id: string; serviceId: string; state: string; containerId: string | null; nodeId: string | null } | null;
  /** The Swarm node of the engine stickyscope talks to; kill-task can reach only containers there. */
  engineNodeId: string | null;
  /** `backend/server` of the HAProxy servers matching the task; null when no runtime API is configured. */
  haproxyServers: string[] | null;
};

export type TargetCheck = { ok: true } | { ok: false; reason: string };

const refuse = (reason: string): TargetCheck => ({ ok: false, reason });

/** A service name experiments may touch, before anything is read about it. */
export function checkServiceAllowed(name: string, patterns: readonly string[]): TargetCheck {
  return serviceMatchesPatterns(name, patterns)
    ? { ok: true }
    : refuse(`service "${name}" is not among the services experiments may act on (${EXPERIMENT_SERVICES_SETTING}=${patterns.join(',')})`);
}

export function checkExperimentTarget(f: TargetFacts): TargetCheck {
  if (!f.service) return refuse(`service "${f.requestedService}" does not exist (any more)`);
  if (f.service.name !== f.requestedService) return refuse(`service ${f.service.id} is named "${f.service.name}", not "${f.requestedService}"`);
  if (f.task && f.task.serviceId !== f.service.id) return refuse(`task ${f.task.id} does not belong to service "${f.service.name}"`);
  // Scaling up acts on the service alone: the task may be gone, removed by the scale-down this undoes.
  if (f.action === 'scale-up') return f.service.replicas === null ? refuse(`service "${f.service.name}" is global: it has no replica count to raise`) : { ok: true };
  if (!f.task) return refuse('the task does not exist (any more); run the probe again to pin a current replica');

  switch (f.action) {
    case 'kill-task':
      if (f.task.state !== 'running' || !f.task.containerId) return refuse(`task ${f.task.id} is ${f.task.state}, not running: it has no container to stop`);
      if (!f.engineNodeId || f.task.nodeId !== f.engineNodeId) {
        return refuse(
          `task ${f.task.id} runs on node ${f.task.nodeId ?? '(none)'}, but stickyscope talks to the engine of node ${f.engineNodeId ?? '(unknown)'} and can stop containers there only; choose restart or scale-down instead`,
        );
      }
      return { ok: true };
    case 'scale-down':
      if (f.service.replicas === null) return refuse(`service "${f.service.name}" is global: it has no replica count to lower`);
      if (f.service.replicas < 2) return refuse(`service "${f.service.name}" has ${f.service.replicas} replica(s): scaling down would take it away, not fail over`);
      return { ok: true };
    case 'restart':
      return { ok: true };
    case 'drain':
    case 'ready':
      if (f.haproxyServers === null) return refuse('drain needs HAProxy’s Runtime API: set HAPROXY_RUNTIME_API to its admin stats socket');
      if (f.haproxyServers.length === 0) {
        return refuse(
          `no HAProxy server matches task ${f.task.id}: a server must be named like the task (its hostname or service.slot) or point at one of its addresses`,
        );
      }
      return { ok: true };
  }
}
