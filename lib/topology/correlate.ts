// Joins Swarm state with Traefik state: router → Traefik service → servers → Swarm tasks.
import type { SwarmService, SwarmSnapshot, SwarmTask } from '@/lib/swarm/types';
import { parseServiceLabels } from '@/lib/traefik/labels';
import { defaultCookieName } from '@/lib/traefik/cookie';
import type { TraefikService, TraefikSnapshot } from '@/lib/traefik/types';
import type { TopologyServer, TopologyService, TopologySticky, TopologyTask } from './types';

const INTERNAL_PROVIDER = 'internal';

/** `web@swarm` → `web`. */
export function baseName(qualified: string): string {
  const at = qualified.lastIndexOf('@');
  return at === -1 ? qualified : qualified.slice(0, at);
}

export function serverHost(url: string): string | null {
  try {
    return new URL(url).hostname.replace(/^\[|\]$/g, '');
  } catch {
    return null;
  }
}

export function stickyOf(services: TraefikService[]): TopologySticky | null {
  const owner = services.find((s) => s.sticky);
  if (!owner?.sticky) return null;
  const { name } = owner.sticky;
  return { ...owner.sticky, cookieName: name ?? defaultCookieName(owner.name), generatedName: name === null };
}

function isRunning(task: SwarmTask): boolean {
  return task.state === 'running';
}

/**
 * Running and meant to keep running. Traefik's Swarm provider lists only these (it asks for desired-state=running
 * and keeps state running), so a task draining in a rolling update is neither a replica users can land on nor a
 * task Traefik forgot to route.
 */
function isServing(task: SwarmTask): boolean {
  return isRunning(task) && task.desiredState === 'running';
}

function toTopologyTask(task: SwarmTask, nodeNames: Map<string, string>): TopologyTask {
  return {
    id: task.id,
    slot: task.slot,
    state: task.state,
    desiredState: task.desiredState,
    node: task.nodeId ? (nodeNames.get(task.nodeId) ?? task.nodeId) : null,
    containerId: task.containerId,
    hostname: task.hostname,
    addresses: task.addresses.map((a) => a.ip),
    networks: task.addresses.map((a) => ({ name: a.networkName, ip: a.ip })),
    error: task.error,
  };
}

/** Tasks worth showing: the ones that run or should, plus recent failures that explain a gap. */
function visibleTasks(tasks: SwarmTask[]): SwarmTask[] {
  const current = tasks.filter((t) => t.desiredState === 'running' || isRunning(t));
  return current.sort((a, b) => (a.slot ?? 0) - (b.slot ?? 0) || (a.updatedAt ?? '').localeCompare(b.updatedAt ?? ''));
}

function traefikServicesFor(
  service: SwarmService,
  labelServiceNames: Set<string>,
  taskIps: Set<string>,
  traefik: TraefikSnapshot,
): TraefikService[] {
  return traefik.services.filter((candidate) => {
    if (candidate.provider === INTERNAL_PROVIDER) return false;
    if (labelServiceNames.has(baseName(candidate.name).toLowerCase())) return true;
    const hosts = candidate.servers.map((s) => serverHost(s.url));
    const vips = new Set(service.virtualIps.map((v) => v.address));
    return hosts.some((h) => h !== null && (taskIps.has(h) || vips.has(h)));
  });
}

export type CorrelateInput = {
  swarm: SwarmSnapshot;
  /** What Traefik runs: its API's snapshot when readable, else the one derived from labels. */
  traefik: TraefikSnapshot | null;
  /** Always the labels' view, to compare with the API's. */
  fromLabels: TraefikSnapshot;
  /** Traefik's provider name for Swarm: `swarm` in v3, `docker` in v2. */
  provider: string;
};

export function correlate({ swarm, traefik, fromLabels, provider }: CorrelateInput): {
  services: TopologyService[];
  unmatchedTraefikServices: { name: string; servers: TopologyServer[] }[];
} {
  const nodeNames = new Map(swarm.nodes.map((n) => [n.id, n.hostname]));
  const networkNames = new Map(swarm.networks.map((n) => [n.id, n.name]));
  const claimed = new Set<string>();

  const services = swarm.services.map((service): TopologyService => {
    const labelConfig = parseServiceLabels(service.name, service.labels, { provider });
    const labelServiceNames = new Set(labelConfig.services.map((s) => baseName(s.name).toLowerCase()));
    const tasks = visibleTasks(swarm.tasks.filter((t) => t.serviceId === service.id));
    const running = tasks.filter(isRunning);
    const serving = running.filter(isServing);
    // Draining tasks still answer, so a server URL pointing at one is not stale yet.
    const taskByIp = new Map<string, SwarmTask>();
    for (const task of running) for (const a of task.addresses) taskByIp.set(a.ip, task);

    const matched = traefik ? traefikServicesFor(service, labelServiceNames, new Set(taskByIp.keys()), traefik) : [];
    for (const m of matched) claimed.add(m.name);
    const matchedNames = new Set(matched.map((m) => m.name));
    const routers = traefik ? traefik.routers.filter((r) => matchedNames.has(r.service)) : [];

    const servers: TopologyServer[] = matched.flatMap((m) =>
      m.servers.map((s) => {
        const host = serverHost(s.url);
        return { url: s.url, status: s.status, taskId: (host && taskByIp.get(host)?.id) ?? null, traefikService: m.name };
      }),
    );
    const routedTaskIds = new Set(servers.map((s) => s.taskId).filter((id): id is string => id !== null));
    const labelSticky = stickyOf(labelConfig.services);

    return {
      id: service.id,
      name: service.name,
      stack: service.stack,
      replicas: { desired: service.desiredReplicas, running: serving.length },
      endpointMode: service.endpointMode,
      mode: service.mode,
      ports: service.ports,
      networks: service.networks.map((n) => n.name ?? networkNames.get(n.id) ?? null),
      labels: service.labels,
      hasHealthCheck: service.hasHealthCheck,
      tasks: tasks.map((t) => toTopologyTask(t, nodeNames)),
      routers,
      traefikServices: matched.map((m) => m.name),
      sticky: stickyOf(matched),
      traefikOrigin: matched.length > 0 && traefik ? traefik.origin : null,
      traefikHealthCheck: matched.some((m) => m.hasHealthCheck),
      servers,
      unroutedTaskIds: servers.length > 0 ? serving.filter((t) => !routedTaskIds.has(t.id)).map((t) => t.id) : [],
      traefikWarnings: fromLabels.serviceWarnings?.[service.name] ?? [],
      virtualIps: service.virtualIps.map((v) => v.address),
      labelConfig,
      labelSticky,
    };
  });

  const unmatchedTraefikServices = (traefik?.services ?? [])
    .filter((s) => s.provider !== INTERNAL_PROVIDER && !claimed.has(s.name) && s.servers.length > 0)
    .map((s) => ({ name: s.name, servers: s.servers.map((v) => ({ url: v.url, status: v.status, taskId: null })) }));

  return { services, unmatchedTraefikServices };
}
