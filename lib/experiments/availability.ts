// Which actions this server can offer at all, judged from its configuration alone. Pure.
import type { DockerConnection } from '@/lib/config-types';
import type { AppConfig } from '@/lib/env';
import { topologySources } from '@/lib/topology/sources';

import { DISABLED_MESSAGE, ExperimentError, experimentsDisabled } from './errors';
import { actionInfo, type ExperimentAction } from './types';

export type AvailabilityConfig = Pick<AppConfig, 'lab' | 'clusters' | 'experiments'>;

/** The Docker API of the cluster the dashboard reads; null when none is configured (the demo lab alone has none). */
export function experimentDockerConnection(config: Pick<AppConfig, 'lab' | 'clusters'>): DockerConnection | null {
  return topologySources(config).cluster?.docker ?? null;
}

/**
 * Why an action cannot run here, whatever the target; null when it can. Every action reads the service and task
 * from the cluster's Docker API; drain and ready also need HAProxy's Runtime API.
 */
export function unavailableReason(action: ExperimentAction, config: AvailabilityConfig): string | null {
  if (!config.experiments.enabled) return DISABLED_MESSAGE;
  if (!experimentDockerConnection(config)) {
    const lab = config.lab ? ' (the embedded demo lab has no Docker engine to act on)' : '';
    return `needs the Docker API of a Swarm manager: set DOCKER_HOST${lab}`;
  }
  if (actionInfo[action].via === 'haproxy' && !config.experiments.haproxyRuntimeApi) {
    return 'needs HAProxy’s Runtime API: set HAPROXY_RUNTIME_API to its admin stats socket';
  }
  return null;
}

/** Throws the error the API and the CLI report when an action cannot run here. */
export function assertAvailable(action: ExperimentAction, config: AvailabilityConfig): void {
  if (!config.experiments.enabled) throw experimentsDisabled();
  const reason = unavailableReason(action, config);
  if (reason) throw new ExperimentError('experiment-unavailable', `${actionInfo[action].label}: ${reason}`);
}
