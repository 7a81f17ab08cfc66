// Test-only builders for topology models. The defaults describe one correctly configured sticky service.
import type { Topology, TopologyServer, TopologyService, TopologySticky, TopologyTask } from '@/lib/topology/types';
import type { LabelConfig, StickyCookie, TraefikRouter, TraefikService } from '@/lib/traefik/types';
import { buildContext } from './context';
import type { Finding, Rule } from './types';

export const goodLabels: Record<string, string> = {
  'traefik.enable': 'true',
  'traefik.swarm.network': 'shop_default',
  'traefik.http.routers.web.rule': 'Host(`shop.example.com`)',
  'traefik.http.routers.web.entrypoints': 'websecure',
  'traefik.http.routers.web.tls': 'true',
  'traefik.http.services.web.loadbalancer.server.port': '8080',
  'traefik.http.services.web.loadbalancer.sticky.cookie': 'true',
  'traefik.http.services.web.loadbalancer.sticky.cookie.name': 'shop_affinity',
  'traefik.http.services.web.loadbalancer.sticky.cookie.secure': 'true',
  'traefik.http.services.web.loadbalancer.sticky.cookie.httponly': 'true',
  'traefik.http.services.web.loadbalancer.sticky.cookie.maxage': '86400',
  'traefik.http.services.web.loadbalancer.healthcheck.path': '/health',
};

export function aSticky(overrides: Partial<StickyCookie> = {}): TopologySticky {
  const cookie: StickyCookie = { name: 'shop_affinity', secure: true, httpOnly: true, sameSite: null, maxAge: 86400, path: null, domain: null, ...overrides };
  return { ...cookie, cookieName: cookie.name ?? '_0123456789abcdef', generatedName: cookie.name === null };
}

export function aRouter(overrides: Partial<TraefikRouter> = {}): TraefikRouter {
  const hosts = overrides.hosts ?? ['shop.example.com'];
  return {
    name: 'web@swarm',
    provider: 'swarm',
    rule: hosts.map((h) => `Host(\`${h}\`)`).join(' || ') || 'PathPrefix(`/`)',
    hosts,
    pathPrefixes: [],
    entryPoints: ['websecure'],
    tls: true,
    service: 'web@swarm',
    priority: null,
    status: 'enabled',
    ...overrides,
  };
}

export function aTask(slot: number, overrides: Partial<TopologyTask> = {}): TopologyTask {
  const ip = `10.0.1.${slot + 4}`;
  return {
    id: `task${slot}`.padEnd(25, 'x'),
    slot,
    state: 'running',
    desiredState: 'running',
    node: 'node-1',
    containerId: `container${slot}`,
    hostname: `web-${slot}`,
    addresses: [ip],
    networks: [{ name: 'shop_default', ip }],
    error: null,
    ...overrides,
  };
}

export function serverFor(task: TopologyTask, port = 8080): TopologyServer {
  return { url: `http://${task.networks[0]?.ip ?? task.addresses[0]}:${port}`, status: 'UP', taskId: task.id };
}

export function aLabelConfig(overrides: Partial<LabelConfig> = {}): LabelConfig {
  const sticky = aSticky();
  const service: TraefikService = {
    name: 'web',
    provider: 'labels',
    kind: 'loadbalancer',
    servers: [],
    sticky,
    hasHealthCheck: true,
    children: [],
    usedBy: ['web'],
    status: null,
  };
  return {
    enabled: true,
    routers: [aRouter({ name: 'web', provider: 'labels', service: 'web' })],
    services: [service],
    network: 'shop_default',
    lbswarm: false,
    serverPorts: { web: 8080 },
    v1Labels: [],
    stickyWithoutCookie: [],
    problems: [],
    ...overrides,
  };
}

/** A routed, sticky, healthy two-replica service; override what a test is about. */
export function aService(overrides: Partial<TopologyService> = {}): TopologyService {
  const replicas = overrides.replicas?.running ?? 2;
  const tasks = overrides.tasks ?? Array.from({ length: replicas }, (_, i) => aTask(i + 1));
  return {
    id: 'svc-web',
    name: 'shop_web',
    stack: 'shop',
    replicas: { desired: replicas, running: replicas },
    endpointMode: 'vip',
    mode: 'replicated',
    ports: [],
    networks: ['shop_default'],
    labels: { ...goodLabels },
    hasHealthCheck: false,
    tasks,
    routers: [aRouter()],
    traefikServices: ['web@swarm'],
    sticky: aSticky(),
    traefikOrigin: 'api',
    traefikHealthCheck: true,
    servers: tasks.map((t) => serverFor(t)),
    unroutedTaskIds: [],
    traefikWarnings: [],
    virtualIps: [],
    labelConfig: aLabelConfig(),
    labelSticky: aSticky(),
    ...overrides,
  };
}

/** Labels with some keys dropped (case-insensitively) and others set. */
export function editLabels(labels: Record<string, string>, set: Record<string, string>, drop: string[] = []): Record<string, string> {
  const dropped = new Set(drop.map((k) => k.toLowerCase()));
  return { ...Object.fromEntries(Object.entries(labels).filter(([k]) => !dropped.has(k.toLowerCase()))), ...set };
}

export function aTopology(services: TopologyService[], overrides: Partial<Topology> = {}): Topology {
  return {
    generatedAt: '2025-01-01T00:00:00.000Z',
    sources: {
      docker: { status: 'ok', ms: 5, engineVersion: '20.10.24', apiVersion: '1.41' },
      traefik: { status: 'ok', ms: 5, version: '3.3.5', origin: 'api' },
    },
    nodes: [],
    services,
    unmatchedTraefikServices: [],
    ...overrides,
  };
}

/** One rule over one service (and its neighbours, when the rule compares services). */
export function runRule(rule: Rule, service: TopologyService, others: TopologyService[] = [], topology?: Partial<Topology>): Finding[] {
  const model = aTopology([service, ...others], topology);
  return rule.evaluate(service, model, buildContext(model));
}
