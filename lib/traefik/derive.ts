// What Traefik's Swarm provider would build from the cluster's labels: routers, services and server URLs. Pure.
import type { SwarmNetwork, SwarmService, SwarmSnapshot, SwarmTask, TaskAddress } from '@/lib/swarm/types';
import { readServiceLabels } from './labels';
import type { NetworkChoice, TraefikRouter, TraefikServer, TraefikService, TraefikSnapshot } from './types';

type Attachment = { networkId: string; name: string | null; ip: string; ingress: boolean };

export type ChosenNetwork = { attachment: Attachment; choice: NetworkChoice };

export type NetworkContext = {
  /** `traefik.swarm.network` / `traefik.docker.network`, verbatim. */
  networkLabel: string | null;
  /** The stack namespace, to recognise a label missing its `<stack>_` prefix. */
  stack: string | null;
  /** Swarm networks, to name attachments and to drop non-swarm-scoped ones as Traefik does. */
  networks: SwarmNetwork[];
};

function bareIp(ip: string): string {
  return ip.split('/')[0] as string;
}

function hostPort(ip: string, port: number): string {
  const host = bareIp(ip);
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}

/** Traefik only sees networks listed with scope `swarm` (the ingress network among them). */
function toAttachments(addresses: { networkId: string; networkName?: string | null; ip: string }[], networks: SwarmNetwork[]) {
  const byId = new Map(networks.map((n) => [n.id, n]));
  return addresses
    .filter((a) => a.ip)
    .flatMap((a): Attachment[] => {
      const known = byId.get(a.networkId);
      if (networks.length > 0 && (!known || (known.scope !== null && known.scope !== 'swarm'))) return [];
      return [{ networkId: a.networkId, name: a.networkName ?? known?.name ?? null, ip: a.ip, ingress: known?.ingress ?? false }];
    });
}

/**
 * The network Traefik would take an address from. Traefik matches the label by exact name; otherwise it takes
 * the first entry of a Go map, which is random, so we prefer a non-ingress network and say it was a guess.
 */
export function chooseNetwork(attachments: Attachment[], context: NetworkContext): ChosenNetwork | null {
  if (attachments.length === 0) return null;
  const label = context.networkLabel;
  if (label) {
    const exact = attachments.find((a) => a.name === label);
    if (exact) return { attachment: exact, choice: 'label' };
    const prefixed = context.stack ? attachments.find((a) => a.name === `${context.stack}_${label}`) : undefined;
    if (prefixed) return { attachment: prefixed, choice: 'label-missing-prefix' };
  }
  const preferred = attachments.find((a) => !a.ingress) ?? (attachments[0] as Attachment);
  if (label) return { attachment: preferred, choice: 'label-not-found' };
  return { attachment: preferred, choice: attachments.length === 1 ? 'only' : 'arbitrary' };
}

export type ServerTarget = { port: number; scheme?: string } & NetworkContext;

function toServer(chosen: ChosenNetwork, target: ServerTarget, taskId: string | null): TraefikServer {
  return {
    url: `${target.scheme ?? 'http'}://${hostPort(chosen.attachment.ip, target.port)}`,
    status: null,
    weight: null,
    taskId,
    network: chosen.attachment.name,
    networkChoice: taskId === null ? 'vip' : chosen.choice,
  };
}

/** The server URL Traefik builds for one task: `<scheme>://<task IP on the chosen network>:<port>`. */
export function serverUrlForTask(task: SwarmTask, target: ServerTarget): TraefikServer | null {
  const chosen = chooseNetwork(toAttachments(task.addresses, target.networks), target);
  return chosen ? toServer(chosen, target, task.id) : null;
}

/** With lbswarm Traefik has one server: the service's virtual IP on the chosen network. */
export function serverUrlForVip(service: SwarmService, target: ServerTarget): TraefikServer | null {
  const addresses: TaskAddress[] = service.virtualIps.map((v) => ({ networkId: v.networkId, networkName: null, ip: v.address }));
  const chosen = chooseNetwork(toAttachments(addresses, target.networks), target);
  return chosen ? toServer(chosen, target, null) : null;
}

function isRunning(task: SwarmTask): boolean {
  return task.state === 'running' && task.desiredState === 'running';
}

function hasTraefikLabels(service: SwarmService): boolean {
  return Object.keys(service.labels).some((key) => key.toLowerCase().startsWith('traefik.'));
}

function baseName(qualified: string): string {
  const at = qualified.lastIndexOf('@');
  return at === -1 ? qualified : qualified.slice(0, at);
}

/** One Swarm service's contribution, or a reason it contributes nothing. */
function deriveOne(
  service: SwarmService,
  swarm: SwarmSnapshot,
  provider: string,
): { routers: TraefikRouter[]; services: TraefikService[]; warnings: string[] } {
  const none = (warning: string) => ({ routers: [], services: [], warnings: [`${service.name}: ${warning}`] });
  const { config, rejected } = readServiceLabels(service.name, service.labels, { provider });
  if (config.enabled === false) return { routers: [], services: [], warnings: [] };
  if (rejected) return none('Traefik rejects its labels (see the label problems) and skips it.');

  const lbswarm = config.lbswarm && service.endpointMode === 'vip';
  const tasks = swarm.tasks.filter((t) => t.serviceId === service.id && isRunning(t));
  const services: TraefikService[] = [];
  for (const definition of config.services) {
    const name = baseName(definition.name);
    const port = config.serverPorts[name];
    // Swarm reports no exposed ports to Traefik, so without the label it fails every task and drops the service.
    if (port === undefined) return none(`no loadbalancer.server.port for ${name}: Traefik skips every task.`);
    const target: ServerTarget = {
      port,
      scheme: config.serverSchemes?.[name],
      networkLabel: config.network,
      stack: service.stack,
      networks: swarm.networks,
    };
    const servers = lbswarm
      ? [serverUrlForVip(service, target)].filter((s): s is TraefikServer => s !== null)
      : tasks.map((task) => serverUrlForTask(task, target)).filter((s): s is TraefikServer => s !== null);
    services.push({ ...definition, servers });
  }
  if (services.some((s) => s.servers.length === 0)) {
    return none(lbswarm ? 'no virtual IP on a swarm network: Traefik skips it.' : 'no running task with a swarm network address: Traefik has no router for it.');
  }
  const warnings: string[] = [];
  const choices = new Set(services.flatMap((s) => s.servers.map((server) => server.networkChoice)));
  if (choices.has('arbitrary')) warnings.push(`${service.name}: tasks sit on several networks and no network label is set; Traefik picks one at random.`);
  if (choices.has('label-missing-prefix')) warnings.push(`${service.name}: network label "${config.network}" lacks the stack prefix "${service.stack}_"; Traefik will not find it and picks any network.`);
  if (choices.has('label-not-found')) warnings.push(`${service.name}: network label "${config.network}" names no network its tasks use; Traefik picks any network.`);
  return { routers: config.routers, services, warnings };
}

function sameDefinition(a: TraefikService, b: TraefikService): boolean {
  return JSON.stringify([a.sticky, a.hasHealthCheck, a.strategy]) === JSON.stringify([b.sticky, b.hasHealthCheck, b.strategy]);
}

/**
 * The Traefik state the Swarm provider would build from labels (origin `labels`). Like Traefik, a service defined by
 * several Swarm services is merged when the definitions agree and dropped when they differ; same for routers.
 */
export function deriveTraefikFromSwarm(swarm: SwarmSnapshot, provider = 'swarm'): TraefikSnapshot {
  const routers = new Map<string, TraefikRouter>();
  const services = new Map<string, TraefikService>();
  const conflicting = new Set<string>();
  const warnings: string[] = [];
  const serviceWarnings: Record<string, string[]> = {};

  for (const service of swarm.services.filter(hasTraefikLabels)) {
    const part = deriveOne(service, swarm, provider);
    warnings.push(...part.warnings);
    if (part.warnings.length > 0) serviceWarnings[service.name] = part.warnings;
    for (const router of part.routers) {
      const existing = routers.get(router.name);
      if (!existing) routers.set(router.name, router);
      else if (JSON.stringify(existing) !== JSON.stringify(router)) conflicting.add(`router ${router.name}`);
    }
    for (const traefikService of part.services) {
      const existing = services.get(traefikService.name);
      if (!existing) services.set(traefikService.name, traefikService);
      else if (!sameDefinition(existing, traefikService)) conflicting.add(`service ${traefikService.name}`);
      else {
        const urls = new Set(existing.servers.map((s) => s.url));
        existing.servers.push(...traefikService.servers.filter((s) => !urls.has(s.url)));
        existing.usedBy = [...new Set([...existing.usedBy, ...traefikService.usedBy])];
      }
    }
  }
  for (const item of conflicting) {
    const [kind, name] = item.split(' ') as [string, string];
    (kind === 'router' ? routers : services).delete(name);
    warnings.push(`${item} is defined differently by several Swarm services: Traefik drops it.`);
  }

  return {
    origin: 'labels',
    version: null,
    entryPoints: [],
    routers: [...routers.values()],
    services: [...services.values()],
    warnings,
    serviceWarnings,
  };
}
