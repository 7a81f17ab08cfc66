import { describe, expect, it } from 'vitest';
import type { SwarmService, SwarmSnapshot, SwarmTask } from '@/lib/swarm/types';
import { defaultCookieName } from '@/lib/traefik/cookie';
import { deriveTraefikFromSwarm } from '@/lib/traefik/labels';
import type { TraefikService, TraefikSnapshot } from '@/lib/traefik/types';
import { correlate } from './correlate';

const network = { id: 'n1', name: 'shop_default', driver: 'overlay', scope: 'swarm', ingress: false };

function service(id: string, name: string, labels: Record<string, string>, vip = '10.0.1.2'): SwarmService {
  return {
    id,
    name,
    stack: 'shop',
    mode: 'replicated',
    desiredReplicas: 2,
    endpointMode: 'vip',
    ports: [],
    networks: [{ id: 'n1', name: 'shop_default' }],
    virtualIps: [{ networkId: 'n1', address: vip }],
    labels,
    hasHealthCheck: false,
    updateStatus: null,
    createdAt: null,
    updatedAt: null,
  };
}

function task(id: string, serviceId: string, slot: number, ip: string, state = 'running'): SwarmTask {
  return {
    id,
    serviceId,
    slot,
    nodeId: 'node-1',
    state,
    desiredState: state === 'running' ? 'running' : 'shutdown',
    containerId: `c-${id}`,
    hostname: `app-${slot}`,
    addresses: [{ networkId: 'n1', networkName: 'shop_default', ip }],
    error: null,
    message: null,
    updatedAt: null,
  };
}

const webLabels = {
  'traefik.http.routers.web.rule': 'Host(`shop.example.com`)',
  'traefik.http.services.web.loadbalancer.server.port': '80',
  'traefik.http.services.web.loadbalancer.sticky.cookie': 'true',
};

const swarm: SwarmSnapshot = {
  engine: { version: '20.10', apiVersion: '1.41' },
  nodes: [{ id: 'node-1', hostname: 'manager-1', role: 'manager', availability: 'active', state: 'ready', address: '127.0.0.1', leader: true, engineVersion: '20.10' }],
  networks: [network],
  services: [service('s-web', 'shop_web', webLabels), service('s-db', 'shop_db', {}, '10.0.1.9')],
  tasks: [
    task('t1', 's-web', 1, '10.0.1.5'),
    task('t2', 's-web', 2, '10.0.1.6'),
    task('t3', 's-web', 3, '10.0.1.7', 'failed'),
    task('t4', 's-db', 1, '10.0.1.10'),
  ],
};

function apiService(overrides: Partial<TraefikService>): TraefikService {
  return { name: 'web@swarm', provider: 'swarm', kind: 'loadbalancer', servers: [], sticky: null, hasHealthCheck: false, children: [], usedBy: [], status: 'enabled', ...overrides };
}

const api: TraefikSnapshot = {
  origin: 'api',
  version: '3.3.4',
  entryPoints: [],
  routers: [
    { name: 'web@swarm', provider: 'swarm', rule: 'Host(`shop.example.com`)', hosts: ['shop.example.com'], pathPrefixes: [], entryPoints: ['web'], tls: false, service: 'web@swarm', priority: null, status: 'enabled' },
    { name: 'other@file', provider: 'file', rule: 'Host(`x`)', hosts: ['x'], pathPrefixes: [], entryPoints: ['web'], tls: false, service: 'legacy@file', priority: null, status: 'enabled' },
  ],
  services: [
    // The live service has a server left over from a task that is gone, and no sticky block.
    apiService({ servers: [{ url: 'http://10.0.1.5:80', status: 'UP', weight: null }, { url: 'http://10.0.1.99:80', status: 'DOWN', weight: null }] }),
    apiService({ name: 'legacy@file', provider: 'file', servers: [{ url: 'http://192.0.2.10:8080', status: 'UP', weight: null }] }),
    apiService({ name: 'api@internal', provider: 'internal' }),
  ],
};

describe('correlate with the live Traefik API', () => {
  const { services, unmatchedTraefikServices } = correlate({ swarm, traefik: api, fromLabels: deriveTraefikFromSwarm(swarm), provider: 'swarm' });
  const web = services.find((s) => s.name === 'shop_web');

  it('matches Traefik services to Swarm services and servers to running tasks by IP', () => {
    expect(web?.traefikServices).toEqual(['web@swarm']);
    expect(web?.routers.map((r) => r.name)).toEqual(['web@swarm']);
    expect(web?.servers).toEqual([
      { url: 'http://10.0.1.5:80', status: 'UP', taskId: 't1', traefikService: 'web@swarm' },
      { url: 'http://10.0.1.99:80', status: 'DOWN', taskId: null, traefikService: 'web@swarm' },
    ]);
  });

  it('keeps running tasks no server points at, and ignores failed ones', () => {
    expect(web?.unroutedTaskIds).toEqual(['t2']);
    expect(web?.replicas).toEqual({ desired: 2, running: 2 });
    expect(web?.tasks.map((t) => t.slot)).toEqual([1, 2]);
    expect(web?.tasks[0]?.node).toBe('manager-1');
  });

  it('takes stickiness from the running config and keeps the labels view beside it', () => {
    expect(web?.sticky).toBeNull();
    expect(web?.traefikOrigin).toBe('api');
    expect(web?.labelSticky).toMatchObject({ cookieName: defaultCookieName('web@swarm'), generatedName: true });
  });

  it('keeps Traefik services that match no Swarm service, but not internal ones', () => {
    expect(unmatchedTraefikServices).toEqual([{ name: 'legacy@file', servers: [{ url: 'http://192.0.2.10:8080', status: 'UP', taskId: null }] }]);
  });

  it('leaves services without Traefik labels unrouted', () => {
    const db = services.find((s) => s.name === 'shop_db');
    expect(db).toMatchObject({ routers: [], servers: [], traefikOrigin: null, sticky: null, unroutedTaskIds: [] });
  });
});

describe('correlate from labels only', () => {
  const fromLabels = deriveTraefikFromSwarm(swarm);
  const { services, unmatchedTraefikServices } = correlate({ swarm, traefik: fromLabels, fromLabels, provider: 'swarm' });
  const web = services.find((s) => s.name === 'shop_web');

  it('computes a server URL per running task and maps each back to its task', () => {
    expect(web?.servers).toEqual([
      { url: 'http://10.0.1.5:80', status: null, taskId: 't1', traefikService: 'web@swarm' },
      { url: 'http://10.0.1.6:80', status: null, taskId: 't2', traefikService: 'web@swarm' },
    ]);
    expect(web?.unroutedTaskIds).toEqual([]);
    expect(web?.traefikOrigin).toBe('labels');
  });

  it('names the cookie the way Traefik generates it when no name is configured', () => {
    expect(web?.sticky).toMatchObject({ cookieName: defaultCookieName('web@swarm'), generatedName: true, secure: false });
  });

  it('reports nothing unmatched, since every label-derived service belongs to a Swarm service', () => {
    expect(unmatchedTraefikServices).toEqual([]);
  });
});
