import { describe, expect, it } from 'vitest';
import type { SwarmService, SwarmSnapshot, SwarmTask } from '@/lib/swarm/types';
import { deriveTraefikFromSwarm, serverUrlForTask } from './labels';

const NETWORKS: SwarmSnapshot['networks'] = [
  { id: 'n-ingress', name: 'ingress', driver: 'overlay', scope: 'swarm', ingress: true },
  { id: 'n-public', name: 'traefik-public', driver: 'overlay', scope: 'swarm', ingress: false },
  { id: 'n-shop', name: 'shop_backend', driver: 'overlay', scope: 'swarm', ingress: false },
  { id: 'n-bridge', name: 'bridge', driver: 'bridge', scope: 'local', ingress: false },
];

function service(id: string, name: string, labels: Record<string, string>, extra: Partial<SwarmService> = {}): SwarmService {
  return {
    id,
    name,
    stack: 'shop',
    mode: 'replicated',
    desiredReplicas: 2,
    endpointMode: 'vip',
    ports: [],
    networks: [],
    virtualIps: [],
    labels,
    hasHealthCheck: false,
    updateStatus: null,
    createdAt: null,
    updatedAt: null,
    taskCounts: null,
    ...extra,
  };
}

function task(id: string, serviceId: string, addresses: [string, string][], state = 'running'): SwarmTask {
  return {
    id,
    serviceId,
    slot: 1,
    nodeId: null,
    state,
    desiredState: 'running',
    containerId: null,
    hostname: null,
    addresses: addresses.map(([networkId, ip]) => ({ networkId, networkName: null, ip })),
    error: null,
    message: null,
    updatedAt: null,
  };
}

function snapshot(services: SwarmService[], tasks: SwarmTask[]): SwarmSnapshot {
  return {
    readAt: '2025-01-01T00:00:00.000Z',
    engine: { version: null, apiVersion: '1.45', nodeId: null },
    nodes: [],
    services,
    tasks,
    networks: NETWORKS,
    warnings: [],
  };
}

const STICKY = {
  'traefik.enable': 'true',
  'traefik.http.routers.web.rule': 'Host(`shop.example`)',
  'traefik.http.services.web.loadbalancer.server.port': '80',
  'traefik.http.services.web.loadbalancer.sticky.cookie.name': 'SHOP',
};

describe('deriveTraefikFromSwarm', () => {
  it('builds servers from running tasks on the labelled network', () => {
    const web = service('s1', 'shop_web', { ...STICKY, 'traefik.swarm.network': 'traefik-public' });
    const result = deriveTraefikFromSwarm(
      snapshot(
        [web],
        [
          task('t1', 's1', [['n-ingress', '10.0.0.5'], ['n-public', '10.0.1.5/24']]),
          task('t2', 's1', [['n-public', '10.0.1.6']]),
          task('t3', 's1', [['n-public', '10.0.1.7']], 'shutdown'),
        ],
      ),
    );
    expect(result.origin).toBe('labels');
    expect(result.routers).toEqual([expect.objectContaining({ name: 'web@swarm', provider: 'swarm', service: 'web@swarm' })]);
    expect(result.services[0]).toMatchObject({ name: 'web@swarm', sticky: { name: 'SHOP' } });
    expect(result.services[0]?.servers).toEqual([
      { url: 'http://10.0.1.5:80', status: null, weight: null, taskId: 't1', network: 'traefik-public', networkChoice: 'label' },
      { url: 'http://10.0.1.6:80', status: null, weight: null, taskId: 't2', network: 'traefik-public', networkChoice: 'label' },
    ]);
    expect(result.warnings).toEqual([]);
  });

  it('marks an unlabelled choice among several networks as arbitrary, and a single one as only', () => {
    const result = deriveTraefikFromSwarm(
      snapshot(
        [service('s1', 'shop_web', STICKY)],
        [task('t1', 's1', [['n-ingress', '10.0.0.5'], ['n-shop', '10.0.2.5']]), task('t2', 's1', [['n-shop', '10.0.2.6'], ['n-bridge', '172.17.0.2']])],
      ),
    );
    const servers = result.services[0]?.servers ?? [];
    expect(servers.map((s) => [s.url, s.networkChoice])).toEqual([
      ['http://10.0.2.5:80', 'arbitrary'],
      ['http://10.0.2.6:80', 'only'],
    ]);
    expect(result.warnings?.[0]).toMatch(/picks one at random/);
  });

  it('resolves a network label missing the stack prefix but says Traefik will not', () => {
    const web = service('s1', 'shop_web', { ...STICKY, 'traefik.swarm.network': 'backend' });
    const result = deriveTraefikFromSwarm(snapshot([web], [task('t1', 's1', [['n-ingress', '10.0.0.5'], ['n-shop', '10.0.2.5']])]));
    expect(result.services[0]?.servers[0]).toMatchObject({ url: 'http://10.0.2.5:80', networkChoice: 'label-missing-prefix' });
    expect(result.warnings?.[0]).toMatch(/lacks the stack prefix "shop_"/);
  });

  it('uses the service VIP with lbswarm', () => {
    const web = service('s1', 'shop_web', { ...STICKY, 'traefik.swarm.lbswarm': 'true', 'traefik.swarm.network': 'traefik-public' }, {
      virtualIps: [{ networkId: 'n-ingress', address: '10.0.0.2' }, { networkId: 'n-public', address: '10.0.1.2' }],
    });
    const result = deriveTraefikFromSwarm(snapshot([web], [task('t1', 's1', [['n-public', '10.0.1.5']])]));
    expect(result.services[0]?.servers).toEqual([
      { url: 'http://10.0.1.2:80', status: null, weight: null, taskId: null, network: 'traefik-public', networkChoice: 'vip' },
    ]);
  });

  it('skips disabled, unlabelled, portless, taskless and rejected services with reasons', () => {
    const result = deriveTraefikFromSwarm(
      snapshot(
        [
          service('s1', 'off', { 'traefik.enable': 'false', 'traefik.http.services.x.loadbalancer.server.port': '80' }),
          service('s2', 'plain', {}),
          service('s3', 'noport', { 'traefik.enable': 'true' }),
          service('s4', 'idle', STICKY),
          service('s5', 'broken', { ...STICKY, 'traefik.http.services.web.loadbalancer.sticky.cookie.secure': 'maybe' }),
        ],
        [task('t5', 's5', [['n-public', '10.0.1.9']])],
      ),
    );
    expect(result.routers).toEqual([]);
    expect(result.services).toEqual([]);
    expect(result.warnings).toEqual([
      'noport: no loadbalancer.server.port for noport: Traefik skips every task.',
      'idle: no running task with a swarm network address: Traefik has no router for it.',
      "broken: Traefik rejects its labels (see the label problems) and skips it.",
    ]);
  });

  it('merges one service name across Swarm services when definitions agree and drops it when they differ', () => {
    const a = service('s1', 'shop_a', STICKY);
    const b = service('s2', 'shop_b', STICKY);
    const merged = deriveTraefikFromSwarm(snapshot([a, b], [task('t1', 's1', [['n-shop', '10.0.2.1']]), task('t2', 's2', [['n-shop', '10.0.2.2']])]));
    expect(merged.services[0]?.servers.map((s) => s.url)).toEqual(['http://10.0.2.1:80', 'http://10.0.2.2:80']);

    const c = service('s3', 'shop_c', { ...STICKY, 'traefik.http.services.web.loadbalancer.sticky.cookie.name': 'OTHER' });
    const split = deriveTraefikFromSwarm(snapshot([a, c], [task('t1', 's1', [['n-shop', '10.0.2.1']]), task('t3', 's3', [['n-shop', '10.0.2.3']])]));
    expect(split.services).toEqual([]);
    expect(split.warnings).toContain('service web@swarm is defined differently by several Swarm services: Traefik drops it.');
  });

  it('serverUrlForTask brackets IPv6 and honours the scheme', () => {
    const server = serverUrlForTask(task('t1', 's1', [['n-public', 'fd00::5/64']]), {
      port: 8443,
      scheme: 'https',
      networkLabel: null,
      stack: null,
      networks: NETWORKS,
    });
    expect(server?.url).toBe('https://[fd00::5]:8443');
  });
});
