// Pure reshaping of Docker Engine API payloads into our Swarm types. No I/O.
// Schemas are liberal: unknown fields are ignored, odd values fall back to null, and only an item we
// cannot use at all (no ID, no service) is skipped with a warning. Service and task env vars, secrets
// and configs are never read into the schemas, so they cannot reach our types.

import { z } from 'zod';

import { SourceError } from '@/lib/errors';

import type {
  PublishedPort,
  ServiceNetwork,
  SwarmNetwork,
  SwarmNode,
  SwarmService,
  SwarmSnapshot,
  SwarmTask,
  TaskAddress,
} from './types';

// ---------- liberal building blocks ----------

const text = z.string().nullish().catch(null);
const count = z.number().int().nonnegative().nullish().catch(null);
const flag = z.boolean().nullish().catch(null);
const loose = <T extends z.ZodRawShape>(shape: T) => z.object(shape).nullish().catch(null);

/** An array whose unusable items are dropped instead of failing the whole list. */
const listOf = <T extends z.ZodType>(item: T) =>
  z
    .array(z.unknown())
    .nullish()
    .catch(null)
    .transform((items) =>
      (items ?? []).flatMap((raw) => {
        const parsed = item.safeParse(raw);
        return parsed.success ? [parsed.data as z.output<T>] : [];
      }),
    );

const labels = z
  .record(z.string(), z.unknown())
  .nullish()
  .catch(null)
  .transform((record) =>
    Object.fromEntries(Object.entries(record ?? {}).filter((entry): entry is [string, string] => typeof entry[1] === 'string')),
  );

const portSchema = z.object({
  Protocol: text,
  TargetPort: z.number().int().positive(),
  PublishedPort: count,
  PublishMode: text,
});

const networkRefSchema = z.object({ Target: z.string().min(1) });

const nodeSchema = z.object({
  ID: z.string().min(1),
  Spec: loose({ Role: text, Availability: text }),
  Description: loose({ Hostname: text, Engine: loose({ EngineVersion: text }) }),
  Status: loose({ State: text, Addr: text }),
  ManagerStatus: loose({ Leader: flag, Addr: text }),
});

const modeSchema = loose({
  Replicated: loose({ Replicas: count }),
  Global: z.unknown().optional(),
  ReplicatedJob: z.unknown().optional(),
  GlobalJob: z.unknown().optional(),
});

const serviceSchema = z.object({
  ID: z.string().min(1),
  CreatedAt: text,
  UpdatedAt: text,
  Spec: loose({
    Name: text,
    Labels: labels,
    Mode: modeSchema,
    TaskTemplate: loose({
      // Env, Secrets, Configs and Mounts are deliberately absent: they never leave lib/swarm.
      ContainerSpec: loose({ Hostname: text, Healthcheck: loose({ Test: z.array(z.string()).nullish().catch(null) }) }),
      Networks: listOf(networkRefSchema),
    }),
    // Before API 1.25 networks sat on the service spec itself.
    Networks: listOf(networkRefSchema),
    EndpointSpec: loose({ Mode: text, Ports: listOf(portSchema) }),
  }),
  Endpoint: loose({
    Spec: loose({ Mode: text }),
    Ports: listOf(portSchema),
    VirtualIPs: listOf(z.object({ NetworkID: z.string().min(1), Addr: text })),
  }),
  UpdateStatus: loose({ State: text, Message: text }),
  ServiceStatus: loose({ RunningTasks: count, DesiredTasks: count }),
});

const attachmentSchema = z.object({
  Network: z.object({ ID: z.string().min(1), Spec: loose({ Name: text }) }),
  Addresses: z.array(z.string()).nullish().catch(null),
});

const taskSchema = z.object({
  ID: z.string().min(1),
  ServiceID: z.string().min(1),
  Slot: count,
  NodeID: text,
  DesiredState: text,
  UpdatedAt: text,
  Annotations: loose({ Name: text }),
  Status: loose({
    Timestamp: text,
    State: text,
    Message: text,
    Err: text,
    ContainerStatus: loose({ ContainerID: text }),
  }),
  // Tasks carry the service's spec as it was when the task was created, templates unexpanded.
  Spec: loose({ ContainerSpec: loose({ Hostname: text }) }),
  NetworksAttachments: listOf(attachmentSchema),
});

const networkSchema = z.object({
  Id: z.string().min(1),
  Name: text,
  Driver: text,
  Scope: text,
  Ingress: flag,
});

const versionSchema = z.object({ Version: text }).catch({ Version: null });

const infoSchema = z
  .object({
    Swarm: loose({
      NodeID: text,
      LocalNodeState: text,
      ControlAvailable: flag,
      Error: text,
    }),
  })
  .catch({ Swarm: null });

// ---------- helpers ----------

type Parsed<T extends z.ZodType> = z.output<T>;

function parseList<T extends z.ZodType>(raw: unknown, schema: T, what: string, warnings: string[]): Parsed<T>[] {
  if (!Array.isArray(raw)) throw new SourceError('bad-response', `Docker returned ${what} that is not a list`);
  const items: Parsed<T>[] = [];
  let skipped = 0;
  for (const item of raw) {
    const parsed = schema.safeParse(item);
    if (parsed.success) items.push(parsed.data as Parsed<T>);
    else skipped++;
  }
  if (skipped > 0) warnings.push(`skipped ${skipped} unusable ${what} entr${skipped === 1 ? 'y' : 'ies'}`);
  return items;
}

const nonEmpty = (value: string | null | undefined): string | null => (value ? value : null);

/** "10.0.1.5/24" → "10.0.1.5"; also IPv6. */
export function stripPrefixLength(address: string): string {
  const slash = address.indexOf('/');
  return slash === -1 ? address : address.slice(0, slash);
}

function toPort(port: Parsed<typeof portSchema>): PublishedPort {
  return {
    protocol: port.Protocol ?? 'tcp',
    targetPort: port.TargetPort,
    publishedPort: port.PublishedPort ? port.PublishedPort : null,
    publishMode: port.PublishMode === 'host' ? 'host' : 'ingress',
  };
}

// ---------- Swarm manager check ----------

/** Throws `not-swarm-manager` with a message a person can act on, from the engine's /info. */
export function assertSwarmManager(rawInfo: unknown, target: string): void {
  const swarm = infoSchema.parse(rawInfo).Swarm;
  if (!swarm?.LocalNodeState) return; // Unreadable: the Swarm endpoints will tell (503) if it matters.
  switch (swarm.LocalNodeState) {
    case 'inactive':
      throw new SourceError(
        'not-swarm-manager',
        `this Docker engine (${target}) is not part of a swarm; point DOCKER_HOST at a Swarm manager, or run \`docker swarm init\``,
      );
    case 'pending':
      throw new SourceError('not-swarm-manager', `this Docker engine (${target}) is still joining a swarm; try again shortly`);
    case 'locked':
      throw new SourceError('not-swarm-manager', `the swarm of ${target} is locked; unlock it with \`docker swarm unlock\``);
    case 'error':
      throw new SourceError('not-swarm-manager', `Swarm mode of ${target} is in error${swarm.Error ? `: ${swarm.Error}` : ''}`);
    case 'active':
      if (swarm.ControlAvailable === false) {
        throw new SourceError('not-swarm-manager', `this Docker engine (${target}) is a Swarm worker; point DOCKER_HOST at a manager`);
      }
  }
}

// ---------- hostname templates ----------

export type HostnameContext = {
  serviceId: string;
  serviceName: string | null;
  nodeId: string | null;
  nodeHostname: string | null;
  taskId: string;
  taskName: string | null;
  slot: number | null;
};

/**
 * Expand the Go template placeholders Swarm allows in a service's hostname, as swarmkit does
 * (template/context.go): Task.Slot falls back to the node ID for global services. Returns null when a
 * placeholder is unknown to us or its value is not known, rather than a wrong name.
 */
export function expandHostnameTemplate(template: string, ctx: HostnameContext): string | null {
  const values: Record<string, string | null> = {
    'Service.ID': ctx.serviceId,
    'Service.Name': ctx.serviceName,
    'Node.ID': ctx.nodeId,
    'Node.Hostname': ctx.nodeHostname,
    'Task.ID': ctx.taskId,
    'Task.Name': ctx.taskName,
    'Task.Slot': ctx.slot ? String(ctx.slot) : ctx.nodeId,
  };
  let unresolved = false;
  const expanded = template.replace(/\{\{\s*\.([A-Za-z]+\.[A-Za-z]+)\s*\}\}/g, (_, key: string) => {
    const value = values[key];
    if (value === undefined || value === null) unresolved = true;
    return value ?? '';
  });
  if (unresolved || expanded.includes('{{')) return null;
  return expanded;
}

/** swarmkit's naming.Task: the annotated name, else `service.slot.id` (replicated) or `service.node.id` (global). */
function taskName(annotated: string | null | undefined, serviceName: string | null, slot: number | null, nodeId: string | null, id: string) {
  if (annotated) return annotated;
  if (!serviceName) return null;
  if (slot) return `${serviceName}.${slot}.${id}`;
  return nodeId ? `${serviceName}.${nodeId}.${id}` : null;
}

// ---------- the snapshot ----------

export type RawSwarmPayloads = {
  version: unknown;
  info: unknown;
  nodes: unknown;
  services: unknown;
  tasks: unknown;
  /** null when the network list could not be read; names then come from task attachments only. */
  networks: unknown;
};

export type MapOptions = {
  apiVersion: string;
  now: Date;
  /** Tasks no longer meant to run are kept this long after their last change, to show churn. */
  recentTaskWindowMs?: number;
  warnings?: string[];
};

export const DEFAULT_RECENT_TASK_WINDOW_MS = 15 * 60 * 1000;

const activeDesiredStates = new Set(['new', 'pending', 'assigned', 'accepted', 'preparing', 'ready', 'starting', 'running']);

export function mapNode(node: Parsed<typeof nodeSchema>): SwarmNode {
  const role = node.Spec?.Role;
  const managerAddr = node.ManagerStatus?.Addr ? node.ManagerStatus.Addr.replace(/:\d+$/, '') : null;
  const statusAddr = nonEmpty(node.Status?.Addr);
  return {
    id: node.ID,
    hostname: node.Description?.Hostname ?? node.ID,
    role: role === 'manager' || role === 'worker' ? role : 'unknown',
    availability: node.Spec?.Availability ?? 'unknown',
    state: node.Status?.State ?? 'unknown',
    // Some engines report 0.0.0.0 for managers; the manager address is then the useful one.
    address: statusAddr === '0.0.0.0' ? (managerAddr ?? statusAddr) : (statusAddr ?? managerAddr),
    leader: node.ManagerStatus?.Leader === true,
    engineVersion: nonEmpty(node.Description?.Engine?.EngineVersion),
  };
}

function serviceMode(mode: Parsed<typeof modeSchema>): SwarmService['mode'] {
  if (mode?.Replicated) return 'replicated';
  if (mode?.Global != null) return 'global';
  if (mode?.ReplicatedJob != null) return 'replicated-job';
  if (mode?.GlobalJob != null) return 'global-job';
  return 'unknown';
}

export function mapService(service: Parsed<typeof serviceSchema>, networkNames: Map<string, string>, networkIdByName: Map<string, string>): SwarmService {
  const spec = service.Spec;
  const mode = serviceMode(spec?.Mode);
  const endpointMode = (spec?.EndpointSpec?.Mode ?? service.Endpoint?.Spec?.Mode) === 'dnsrr' ? 'dnsrr' : 'vip';
  // Endpoint.Ports holds the ports as allocated (published port filled in); the spec only what was asked.
  const endpointPorts = service.Endpoint?.Ports ?? [];
  const ports = (endpointPorts.length > 0 ? endpointPorts : (spec?.EndpointSpec?.Ports ?? [])).map(toPort);
  const refs = spec?.TaskTemplate?.Networks?.length ? spec.TaskTemplate.Networks : (spec?.Networks ?? []);
  const networks: ServiceNetwork[] = refs.map(({ Target }) => {
    if (networkNames.has(Target)) return { id: Target, name: networkNames.get(Target) ?? null };
    const byName = networkIdByName.get(Target);
    return byName ? { id: byName, name: Target } : { id: Target, name: null };
  });
  const test = spec?.TaskTemplate?.ContainerSpec?.Healthcheck?.Test ?? [];
  const status = service.ServiceStatus;
  return {
    id: service.ID,
    name: spec?.Name ?? service.ID,
    stack: nonEmpty(spec?.Labels['com.docker.stack.namespace']),
    mode,
    desiredReplicas: mode === 'replicated' ? (spec?.Mode?.Replicated?.Replicas ?? null) : null,
    endpointMode,
    ports,
    networks,
    virtualIps: (service.Endpoint?.VirtualIPs ?? []).flatMap((vip) =>
      // Host-network services list a VIP entry without an address.
      vip.Addr ? [{ networkId: vip.NetworkID, address: stripPrefixLength(vip.Addr) }] : [],
    ),
    labels: spec?.Labels ?? {},
    // An image's own HEALTHCHECK is invisible here: only the image config holds it, and we do not read images.
    hasHealthCheck: test.length > 0 && test[0] !== 'NONE',
    taskCounts:
      status && typeof status.RunningTasks === 'number' && typeof status.DesiredTasks === 'number'
        ? { running: status.RunningTasks, desired: status.DesiredTasks }
        : null,
    updateStatus: service.UpdateStatus?.State ? { state: service.UpdateStatus.State, message: nonEmpty(service.UpdateStatus.Message) } : null,
    createdAt: nonEmpty(service.CreatedAt),
    updatedAt: nonEmpty(service.UpdatedAt),
  };
}

export function mapTask(
  task: Parsed<typeof taskSchema>,
  lookups: { serviceNames: Map<string, string>; nodeHostnames: Map<string, string>; networkNames: Map<string, string> },
): SwarmTask {
  const slot = task.Slot ? task.Slot : null;
  const nodeId = nonEmpty(task.NodeID);
  const serviceName = lookups.serviceNames.get(task.ServiceID) ?? null;
  const template = nonEmpty(task.Spec?.ContainerSpec?.Hostname);
  const hostname =
    template === null
      ? null
      : expandHostnameTemplate(template, {
          serviceId: task.ServiceID,
          serviceName,
          nodeId,
          nodeHostname: nodeId ? (lookups.nodeHostnames.get(nodeId) ?? null) : null,
          taskId: task.ID,
          taskName: taskName(task.Annotations?.Name, serviceName, slot, nodeId, task.ID),
          slot,
        });
  const addresses: TaskAddress[] = task.NetworksAttachments.flatMap((attachment) =>
    (attachment.Addresses ?? []).map((address) => ({
      networkId: attachment.Network.ID,
      networkName: attachment.Network.Spec?.Name ?? lookups.networkNames.get(attachment.Network.ID) ?? null,
      ip: stripPrefixLength(address),
    })),
  );
  return {
    id: task.ID,
    serviceId: task.ServiceID,
    slot,
    nodeId,
    state: task.Status?.State ?? 'unknown',
    desiredState: task.DesiredState ?? 'unknown',
    containerId: nonEmpty(task.Status?.ContainerStatus?.ContainerID),
    hostname,
    addresses,
    error: nonEmpty(task.Status?.Err),
    message: nonEmpty(task.Status?.Message),
    updatedAt: nonEmpty(task.Status?.Timestamp) ?? nonEmpty(task.UpdatedAt),
  };
}

export function mapNetwork(network: Parsed<typeof networkSchema>): SwarmNetwork {
  return {
    id: network.Id,
    name: network.Name ?? network.Id,
    driver: nonEmpty(network.Driver),
    scope: nonEmpty(network.Scope),
    ingress: network.Ingress === true,
  };
}

/** Whether a task still matters: meant to run, or changed within the recent window. */
export function isTaskRelevant(task: SwarmTask, now: Date, windowMs: number): boolean {
  if (activeDesiredStates.has(task.desiredState)) return true;
  if (!task.updatedAt) return false;
  const changed = Date.parse(task.updatedAt);
  return Number.isFinite(changed) && now.getTime() - changed <= windowMs;
}

export function mapSwarmSnapshot(raw: RawSwarmPayloads, options: MapOptions): SwarmSnapshot {
  const warnings = options.warnings ?? [];
  const windowMs = options.recentTaskWindowMs ?? DEFAULT_RECENT_TASK_WINDOW_MS;

  const nodes = parseList(raw.nodes, nodeSchema, 'node', warnings).map(mapNode);
  const networks = raw.networks === null ? [] : parseList(raw.networks, networkSchema, 'network', warnings).map(mapNetwork);
  const rawServices = parseList(raw.services, serviceSchema, 'service', warnings);
  const rawTasks = parseList(raw.tasks, taskSchema, 'task', warnings);

  // Network names: the engine's list, completed by what task attachments say (they embed the network spec).
  const networkNames = new Map(networks.map((n) => [n.id, n.name]));
  for (const task of rawTasks) {
    for (const attachment of task.NetworksAttachments) {
      const name = attachment.Network.Spec?.Name;
      if (name && !networkNames.has(attachment.Network.ID)) networkNames.set(attachment.Network.ID, name);
    }
  }
  const networkIdByName = new Map([...networkNames].map(([id, name]) => [name, id]));

  const services = rawServices.map((s) => mapService(s, networkNames, networkIdByName)).sort((a, b) => a.name.localeCompare(b.name));
  const serviceNames = new Map(services.map((s) => [s.id, s.name]));
  const nodeHostnames = new Map(nodes.map((n) => [n.id, n.hostname]));
  const serviceOrder = new Map(services.map((s, i) => [s.id, i]));

  const tasks = rawTasks
    .map((t) => mapTask(t, { serviceNames, nodeHostnames, networkNames }))
    .filter((t) => isTaskRelevant(t, options.now, windowMs))
    .sort(
      (a, b) =>
        (serviceOrder.get(a.serviceId) ?? Infinity) - (serviceOrder.get(b.serviceId) ?? Infinity) ||
        a.serviceId.localeCompare(b.serviceId) ||
        (a.slot ?? 0) - (b.slot ?? 0) ||
        (a.nodeId ?? '').localeCompare(b.nodeId ?? '') ||
        (b.updatedAt ?? '').localeCompare(a.updatedAt ?? ''),
    );

  const info = infoSchema.parse(raw.info);
  return {
    readAt: options.now.toISOString(),
    engine: {
      version: versionSchema.parse(raw.version).Version ?? null,
      apiVersion: options.apiVersion,
      nodeId: nonEmpty(info.Swarm?.NodeID),
    },
    nodes: nodes.sort((a, b) => a.hostname.localeCompare(b.hostname)),
    services,
    tasks,
    networks: networks.sort((a, b) => a.name.localeCompare(b.name)),
    warnings,
  };
}
