// Names a probe's replica identity by Swarm task. Pure: a topology in, a lookup function out.
//
// An identity can be a container hostname (`app-1`, or Docker's default: the first 12 hex digits of the container
// id), a task IP (optionally with a port), or a server URL (what the Traefik cookie decoder yields). Hostnames are
// often reused across services (`app-{{.Task.Slot}}`), so services the run is about are tried first, and a name
// that still matches several tasks is reported as ambiguous rather than guessed. With the demo lab beside a cluster,
// a run about a lab service matches lab tasks only, and a run about a cluster service cluster tasks only: the two
// sources share names (and every lab task shares the lab's loopback address) without sharing replicas.
import type { Topology, TopologyService, TopologyTask } from './types';

export type ReplicaVia = 'hostname' | 'container-id' | 'task-ip' | 'server-url';

export type ReplicaTask = {
  taskId: string;
  /** `service.slot` as `docker service ps` shows it; `service.<id prefix>` for global services. */
  taskName: string;
  serviceId: string;
  serviceName: string;
  slot: number | null;
  node: string | null;
  state: string;
  via: ReplicaVia;
};

export type ReplicaMatch = { task: ReplicaTask } | { task: null; ambiguous: ReplicaTask[] };

type Entry = { service: TopologyService; task: TopologyTask };

export function taskName(service: Pick<TopologyService, 'name'>, task: Pick<TopologyTask, 'id' | 'slot'>): string {
  return task.slot !== null ? `${service.name}.${task.slot}` : `${service.name}.${task.id.slice(0, 12)}`;
}

function toReplicaTask({ service, task }: Entry, via: ReplicaVia): ReplicaTask {
  return {
    taskId: task.id,
    taskName: taskName(service, task),
    serviceId: service.id,
    serviceName: service.name,
    slot: task.slot,
    node: task.node,
    state: task.state,
    via,
  };
}

function push(map: Map<string, Entry[]>, key: string, entry: Entry) {
  const list = map.get(key);
  if (list) list.push(entry);
  else map.set(key, [entry]);
}

function hostOfUrl(text: string): string | null {
  if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(text)) return null;
  try {
    return new URL(text).hostname.replace(/^\[|\]$/g, '');
  } catch {
    return null;
  }
}

function stripPort(text: string): string {
  const v4 = /^(\d{1,3}(?:\.\d{1,3}){3}):\d+$/.exec(text);
  if (v4) return v4[1]!;
  const v6 = /^\[([^\]]+)\](?::\d+)?$/.exec(text);
  return v6 ? v6[1]! : text;
}

export type ReplicaIndexOptions = {
  /**
   * Services the run targets (chosen, or whose routers match the target host): their tasks win ties, and when they
   * all come from one source (the demo lab, or the cluster) the other source's tasks are not matched at all.
   */
  preferServiceIds?: readonly string[];
  /** The service the run names: only its tasks are matched (ignored when the topology no longer has it). */
  onlyServiceIds?: readonly string[];
};

type Source = 'lab' | 'cluster';

const sourceOf = (service: Pick<TopologyService, 'lab'>): Source => (service.lab ? 'lab' : 'cluster');

/** The services whose tasks a run may be answered by. */
function servicesInScope(services: readonly TopologyService[], options: ReplicaIndexOptions): TopologyService[] {
  const only = new Set(options.onlyServiceIds ?? []);
  const named = services.filter((s) => only.has(s.id));
  if (named.length) return named;
  const preferred = new Set(options.preferServiceIds ?? []);
  const sources = new Set(services.filter((s) => preferred.has(s.id)).map(sourceOf));
  const [source] = sources;
  return sources.size === 1 ? services.filter((s) => sourceOf(s) === source) : [...services];
}

/** One entry per task: a task behind several Traefik services (split routers) is listed once per server. */
function distinctTasks(entries: Entry[]): Entry[] {
  const seen = new Set<string>();
  return entries.filter((e) => {
    const key = `${e.service.id}\n${e.task.id}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** Builds the lookup once per topology; each call is a few map reads. */
export function buildReplicaIndex(topology: Pick<Topology, 'services'>, options: ReplicaIndexOptions = {}): (identity: string) => ReplicaMatch | null {
  const preferred = new Set(options.preferServiceIds ?? []);
  const services = servicesInScope(topology.services, options);
  const virtualIps = new Set(services.flatMap((s) => s.virtualIps));
  const byHostname = new Map<string, Entry[]>();
  const byIp = new Map<string, Entry[]>();
  const byServerUrl = new Map<string, Entry[]>();
  const containers: Entry[] = [];
  for (const service of services) {
    const tasks = new Map(service.tasks.map((t) => [t.id, t]));
    for (const task of service.tasks) {
      const entry = { service, task };
      if (task.hostname) push(byHostname, task.hostname.toLowerCase(), entry);
      for (const ip of new Set([...task.addresses, ...task.networks.map((n) => n.ip)])) push(byIp, ip, entry);
      if (task.containerId) containers.push(entry);
    }
    for (const server of service.servers) {
      const task = server.taskId ? tasks.get(server.taskId) : undefined;
      if (task) push(byServerUrl, server.url.replace(/\/$/, ''), { service, task });
    }
  }

  const pick = (entries: Entry[] | undefined, via: ReplicaVia): ReplicaMatch | null => {
    if (!entries?.length) return null;
    let pool = distinctTasks(entries);
    const inPreferred = pool.filter((e) => preferred.has(e.service.id));
    if (inPreferred.length) pool = inPreferred;
    const running = pool.filter((e) => e.task.state === 'running');
    if (running.length) pool = running;
    if (pool.length === 1) return { task: toReplicaTask(pool[0]!, via) };
    return { task: null, ambiguous: pool.map((e) => toReplicaTask(e, via)) };
  };

  const memo = new Map<string, ReplicaMatch | null>();
  return (identity: string) => {
    const cached = memo.get(identity);
    if (cached !== undefined) return cached;
    const text = identity.trim();
    let match: ReplicaMatch | null = null;
    const urlHost = hostOfUrl(text);
    if (urlHost !== null) {
      // A virtual IP is no task's, even where (as in the demo lab) it is also the tasks' address.
      match = pick(byServerUrl.get(text.replace(/\/$/, '')), 'server-url') ?? (virtualIps.has(urlHost) ? null : pick(byIp.get(urlHost), 'task-ip'));
    } else {
      const bare = stripPort(text);
      match = pick(byIp.get(bare), 'task-ip');
      // Tasks sharing one address (the demo lab's loopback) are told apart by the port of their server URL.
      if (match && !match.task && bare !== text) match = pick(byServerUrl.get(`http://${text}`) ?? byServerUrl.get(`https://${text}`), 'server-url') ?? match;
      match ??= pick(byHostname.get(text.toLowerCase()), 'hostname');
      if (!match && /^[0-9a-f]{12,64}$/i.test(text)) {
        const lower = text.toLowerCase();
        match = pick(
          containers.filter((e) => e.task.containerId!.toLowerCase().startsWith(lower)),
          'container-id',
        );
      }
    }
    if (memo.size < 4096) memo.set(identity, match);
    return match;
  };
}

/** Services a target URL's host belongs to, by their Traefik router hosts. */
export function servicesForHost(topology: Pick<Topology, 'services'>, host: string): string[] {
  const h = host.toLowerCase();
  return topology.services.filter((s) => s.routers.some((r) => r.hosts.some((x) => x.toLowerCase() === h))).map((s) => s.id);
}

/**
 * What a run is about, as `buildReplicaIndex` wants it: the service it names when the topology still has it (then
 * only that service's tasks answer), otherwise the services routed by the target's host.
 */
export function replicaScopeOfRun(topology: Pick<Topology, 'services'>, target: string, serviceId: string | null): Required<ReplicaIndexOptions> {
  if (serviceId && topology.services.some((s) => s.id === serviceId)) return { preferServiceIds: [serviceId], onlyServiceIds: [serviceId] };
  let host = '';
  try {
    host = new URL(target).hostname.replace(/^\[|\]$/g, '');
  } catch {
    // A target that is not a URL names no service.
  }
  return { preferServiceIds: host ? servicesForHost(topology, host) : [], onlyServiceIds: [] };
}

/** Every server URL of the given services (all services when none are given), for the Traefik cookie decoder. */
export function serverUrlsOf(topology: Pick<Topology, 'services'>, serviceIds: readonly string[] = []): string[] {
  const wanted = new Set(serviceIds);
  const services = wanted.size ? topology.services.filter((s) => wanted.has(s.id)) : topology.services;
  return [...new Set(services.flatMap((s) => s.servers.map((x) => x.url)))];
}
