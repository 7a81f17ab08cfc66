import 'server-only';
import type { ClusterConfig } from '@/lib/config-types';
import { errorMessage } from '@/lib/errors';
import { readSwarm } from '@/lib/swarm/read';
import type { SwarmSnapshot } from '@/lib/swarm/types';
import { readTraefikApi } from '@/lib/traefik/client';
import { deriveTraefikFromSwarm } from '@/lib/traefik/labels';
import type { TraefikSnapshot } from '@/lib/traefik/types';
import { correlate } from './correlate';
import type { SourceStatus, Topology } from './types';

type Timed<T> = { ok: true; value: T; ms: number } | { ok: false; error: unknown; ms: number };

async function timed<T>(work: () => Promise<T>): Promise<Timed<T>> {
  const started = performance.now();
  try {
    const value = await work();
    return { ok: true, value, ms: Math.round(performance.now() - started) };
  } catch (error) {
    return { ok: false, error, ms: Math.round(performance.now() - started) };
  }
}

const EMPTY_LABELS: TraefikSnapshot = { origin: 'labels', version: null, entryPoints: [], routers: [], services: [] };

/** Reads both sources concurrently; a failing source is reported, never fatal. */
export async function readTopology(cluster: ClusterConfig, now: () => Date = () => new Date()): Promise<Topology> {
  const [docker, api] = await Promise.all([
    cluster.docker ? timed(() => readSwarm(cluster.docker!)) : null,
    cluster.traefik ? timed(() => readTraefikApi(cluster.traefik!)) : null,
  ]);

  const dockerStatus: Topology['sources']['docker'] = !docker
    ? { status: 'off', ms: 0, message: 'No Docker connection configured. Set DOCKER_HOST to a Swarm manager.' }
    : docker.ok
      ? { status: 'ok', ms: docker.ms, engineVersion: docker.value.engine.version ?? undefined, apiVersion: docker.value.engine.apiVersion }
      : { status: 'error', ms: docker.ms, message: errorMessage(docker.error) };

  const swarm: SwarmSnapshot | null = docker?.ok ? docker.value : null;
  const liveTraefik = api?.ok ? api.value : null;
  const provider = liveTraefik?.version?.startsWith('2.') ? 'docker' : 'swarm';
  const fromLabels = swarm ? deriveTraefikFromSwarm(swarm, provider) : EMPTY_LABELS;

  let traefikStatus: SourceStatus & { version?: string; origin?: 'api' | 'labels' };
  if (!api) {
    traefikStatus = {
      status: 'off',
      ms: 0,
      origin: swarm ? 'labels' : undefined,
      message: swarm
        ? 'TRAEFIK_API_URL is not set: routes and sticky settings are derived from service labels.'
        : 'TRAEFIK_API_URL is not set.',
    };
  } else if (api.ok) {
    traefikStatus = { status: 'ok', ms: api.ms, origin: 'api', version: api.value.version ?? undefined };
  } else {
    traefikStatus = {
      status: 'error',
      ms: api.ms,
      origin: swarm ? 'labels' : undefined,
      message: `${errorMessage(api.error)}${swarm ? ' Showing what the service labels say instead.' : ''}`,
    };
  }

  const merged = swarm
    ? correlate({ swarm, traefik: liveTraefik ?? fromLabels, fromLabels, provider })
    : { services: [], unmatchedTraefikServices: [] };

  return {
    generatedAt: now().toISOString(),
    sources: { docker: dockerStatus, traefik: traefikStatus },
    nodes: swarm?.nodes ?? [],
    services: merged.services,
    unmatchedTraefikServices: liveTraefik ? merged.unmatchedTraefikServices : [],
  };
}
