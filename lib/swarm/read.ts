import 'server-only';

import type { DockerConnection } from '@/lib/config-types';
import { SourceError } from '@/lib/errors';

import { getDockerApi } from './client';
import { assertSwarmManager, mapSwarmSnapshot } from './map';
import type { SwarmSnapshot } from './types';

export type ReadSwarmOptions = {
  /** Tasks no longer meant to run are kept this long after their last change (default 15 minutes). */
  recentTaskWindowMs?: number;
};

/**
 * Read one Swarm manager: version, info, nodes, services, tasks and networks in one concurrent round,
 * no per-task calls. Throws SourceError ('not-swarm-manager', 'unreachable', 'timeout', ...).
 */
export async function readSwarm(conn: DockerConnection, options: ReadSwarmOptions = {}): Promise<SwarmSnapshot> {
  const api = getDockerApi(conn);
  // Negotiating first means the five reads below share one version and fail fast if the engine is down.
  const apiVersion = await api.apiVersion();
  // All tasks, not `desired-state=running`: the shut-down ones explain churn (crashes, rolling updates).
  // Swarm keeps only a few per slot (TaskHistoryRetentionLimit), so the list stays small.
  const [version, info, nodes, services, tasks, networks] = await Promise.allSettled([
    api.get('/version'),
    api.get('/info'),
    api.get('/nodes'),
    api.get('/services', { status: 'true' }),
    api.get('/tasks'),
    api.get('/networks'),
  ]);

  // /info explains a worker or a plain engine better than the 503s of the Swarm endpoints do.
  if (info.status === 'fulfilled') assertSwarmManager(info.value, api.target);
  const required = [info, nodes, services, tasks];
  const failure = required.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failure) throw failure.reason instanceof Error ? failure.reason : new SourceError('bad-response', String(failure.reason));

  const warnings: string[] = [];
  if (networks.status === 'rejected') {
    warnings.push(`network list unavailable (${networks.reason instanceof Error ? networks.reason.message : String(networks.reason)}); names come from task attachments only`);
  }
  return mapSwarmSnapshot(
    {
      version: version.status === 'fulfilled' ? version.value : null,
      info: info.status === 'fulfilled' ? info.value : null,
      nodes: nodes.status === 'fulfilled' ? nodes.value : null,
      services: services.status === 'fulfilled' ? services.value : null,
      tasks: tasks.status === 'fulfilled' ? tasks.value : null,
      networks: networks.status === 'fulfilled' ? networks.value : null,
    },
    { apiVersion, now: new Date(), recentTaskWindowMs: options.recentTaskWindowMs, warnings },
  );
}
