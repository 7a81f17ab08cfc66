import { describe, expect, it } from 'vitest';
import { buildReplicaIndex, serverUrlsOf, servicesForHost } from './replica-map';
import type { TopologyService, TopologyTask } from './types';

function task(id: string, slot: number | null, extra: Partial<TopologyTask> = {}): TopologyTask {
  return {
    id,
    slot,
    state: 'running',
    desiredState: 'running',
    node: 'node-1',
    containerId: null,
    hostname: null,
    addresses: [],
    networks: [],
    error: null,
    ...extra,
  };
}

function service(id: string, name: string, tasks: TopologyTask[], extra: Partial<TopologyService> = {}): TopologyService {
  return {
    id,
    name,
    stack: null,
    replicas: { desired: tasks.length, running: tasks.length },
    endpointMode: 'vip',
    mode: 'replicated',
    ports: [],
    networks: [],
    labels: {},
    hasHealthCheck: false,
    tasks,
    routers: [],
    traefikServices: [],
    sticky: null,
    traefikOrigin: null,
    traefikHealthCheck: false,
    servers: [],
    unroutedTaskIds: [],
    labelConfig: {} as TopologyService['labelConfig'],
    traefikWarnings: [],
    virtualIps: [],
    labelSticky: null,
    ...extra,
  };
}

const web = service(
  'svc-web',
  'web',
  [
    task('t1', 1, { hostname: 'app-1', containerId: 'abcdef0123456789aaaa', networks: [{ name: 'lab', ip: '10.0.1.5' }] }),
    task('t2', 2, { hostname: 'app-2', containerId: '0123456789abcdefbbbb', addresses: ['10.0.1.6'] }),
    task('t9', 1, { hostname: 'app-1', state: 'shutdown', desiredState: 'shutdown' }),
  ],
  {
    routers: [{ name: 'web@swarm', provider: 'swarm', rule: 'Host(`shop.example`)', hosts: ['shop.example'], pathPrefixes: [], entryPoints: [], tls: false, service: 'web@swarm', priority: null, status: null }],
    servers: [{ url: 'http://10.0.1.5:80', status: 'UP', taskId: 't1' }],
  },
);
const api = service('svc-api', 'api', [task('a1', 1, { hostname: 'app-1' })]);
const topology = { services: [web, api] };

describe('buildReplicaIndex', () => {
  it('maps hostnames, container-id prefixes, task IPs and server URLs to task name and slot', () => {
    const find = buildReplicaIndex(topology, { preferServiceIds: ['svc-web'] });
    expect(find('app-1')).toMatchObject({ task: { taskName: 'web.1', slot: 1, via: 'hostname' } });
    expect(find('APP-2')).toMatchObject({ task: { taskName: 'web.2', via: 'hostname' } });
    expect(find('0123456789ab')).toMatchObject({ task: { taskName: 'web.2', via: 'container-id' } });
    expect(find('10.0.1.6')).toMatchObject({ task: { taskName: 'web.2', via: 'task-ip' } });
    expect(find('10.0.1.5:80')).toMatchObject({ task: { taskName: 'web.1', via: 'task-ip' } });
    expect(find('http://10.0.1.5:80')).toMatchObject({ task: { taskName: 'web.1', via: 'server-url' } });
    expect(find('http://10.0.1.5:80/')).toMatchObject({ task: { taskName: 'web.1', via: 'server-url' } });
    expect(find('nobody')).toBeNull();
  });

  it('reports a hostname several services share as ambiguous unless the run names a service', () => {
    const find = buildReplicaIndex(topology);
    const m = find('app-1');
    expect(m?.task).toBeNull();
    expect(m && !m.task ? m.ambiguous.map((t) => t.taskName).sort() : []).toEqual(['api.1', 'web.1']);
    expect(buildReplicaIndex(topology, { preferServiceIds: ['svc-api'] })('app-1')).toMatchObject({ task: { taskName: 'api.1' } });
  });

  it('names global tasks by id prefix', () => {
    const g = service('svc-g', 'agent', [task('0123456789abcdef', null, { hostname: 'agent-x' })]);
    expect(buildReplicaIndex({ services: [g] })('agent-x')).toMatchObject({ task: { taskName: 'agent.0123456789ab', slot: null } });
  });
});

describe('servicesForHost and serverUrlsOf', () => {
  it('finds services by router host and collects their server URLs', () => {
    expect(servicesForHost(topology, 'SHOP.example')).toEqual(['svc-web']);
    expect(servicesForHost(topology, 'other.example')).toEqual([]);
    expect(serverUrlsOf(topology, ['svc-web'])).toEqual(['http://10.0.1.5:80']);
    expect(serverUrlsOf(topology)).toEqual(['http://10.0.1.5:80']);
  });
});
