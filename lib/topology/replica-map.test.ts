import { describe, expect, it } from 'vitest';
import { aTopology } from '@/lib/affinity/test-model';
import type { LabService } from '@/lib/lab/lab';
import { labScenarios } from '@/lib/lab/scenarios';
import { labelConfigOf } from '@/lib/lab/test/labels';
import { mergeLabTopology, toLabTopology, type LabSnapshot } from '@/lib/lab/topology';
import { buildReplicaIndex, replicaScopeOfRun, serverUrlsOf, servicesForHost, type ReplicaMatch } from './replica-map';
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

/**
 * The demo lab beside a cluster, as the dashboard merges them: the cluster's Swarm-style tasks (`app-<slot>` on
 * overlay addresses) and lab services whose replicas all listen on the lab's loopback address, each on its own port.
 */
function labBeside(hostnameOf: (scenario: string, slot: number) => string) {
  const port = (i: number, slot: number) => 41000 + i * 10 + slot;
  const snapshot: LabSnapshot = {
    address: '127.0.0.1',
    port: 40999,
    services: labScenarios.map((scenario, i): LabService => ({
      scenario,
      labels: scenario.labels,
      labelConfig: labelConfigOf(scenario.name, scenario.labels),
      edited: false,
      replicas: [1, 2, 3].map((slot) => ({ slot, hostname: hostnameOf(scenario.name, slot), server: { url: `http://127.0.0.1:${port(i, slot)}`, weight: 1, alive: true } })),
      vipUrl: scenario.name === 'lbswarm' ? 'http://127.0.0.1:40998' : null,
    })),
  };
  const cluster = {
    services: [
      web,
      service('svc-api', 'api', [1, 2, 3].map((slot) => task(`a${slot}`, slot, { hostname: `app-${slot}`, addresses: [`10.0.2.${slot}`] }))),
    ],
  };
  const merged = mergeLabTopology({ ...aTopology([]), services: cluster.services }, toLabTopology(snapshot, 1));
  const lab = (name: string) => `http://${name}.lab.test:40999/`;
  const replicaUrl = (name: string, slot: number) => `http://127.0.0.1:${port(labScenarios.findIndex((s) => s.name === name), slot)}`;
  return { merged, lab, replicaUrl };
}

const ambiguousNames = (m: ReplicaMatch | null) => (m && !m.task ? m.ambiguous.map((t) => t.taskName).sort() : null);

describe('the demo lab beside a cluster', () => {
  it('a lab run matches only lab tasks: a cluster name is no lab replica, and lab replicas map by name', () => {
    const { merged, lab } = labBeside((name, slot) => `${name}-${slot}`);
    const find = buildReplicaIndex(merged, replicaScopeOfRun(merged, lab('sticky-ok'), null));
    // Before the run's source bounded the match, `app-1` read as "ambiguous: api.1, web.1" on a lab run.
    expect(find('app-1')).toBeNull();
    expect(find('sticky-ok-2')).toMatchObject({ task: { taskName: 'sticky-ok.2', serviceId: 'lab-sticky-ok', via: 'hostname' } });
  });

  it('lab replicas named like the cluster’s tasks map to the lab task on a lab run and to the cluster task on a cluster run', () => {
    const { merged, lab } = labBeside((_, slot) => `app-${slot}`);
    expect(buildReplicaIndex(merged, replicaScopeOfRun(merged, lab('no-sticky'), null))('app-2')).toMatchObject({ task: { taskName: 'no-sticky.2' } });
    expect(buildReplicaIndex(merged, replicaScopeOfRun(merged, 'http://shop.example/', null))('app-2')).toMatchObject({ task: { taskName: 'web.2' } });
    // A run about no known service has no source to keep to: the name is genuinely ambiguous, lab and cluster alike.
    const unknown = ambiguousNames(buildReplicaIndex(merged, replicaScopeOfRun(merged, 'http://elsewhere.example/', null))('app-2'));
    expect(unknown).toEqual(expect.arrayContaining(['api.2', 'web.2', 'sticky-ok.2', 'no-sticky.2']));
  });

  it('a cluster run does not take a lab replica for one of its own', () => {
    const { merged } = labBeside((name, slot) => `${name}-${slot}`);
    const find = buildReplicaIndex(merged, replicaScopeOfRun(merged, 'http://shop.example/', null));
    expect(find('sticky-ok-1')).toBeNull();
    expect(find('app-1')).toMatchObject({ task: { taskName: 'web.1' } });
  });

  it('a run that names a service matches only that service’s tasks; a name the topology lost falls back to the target host', () => {
    const { merged, lab } = labBeside((_, slot) => `app-${slot}`);
    const named = buildReplicaIndex(merged, replicaScopeOfRun(merged, 'http://elsewhere.example/', 'lab-lbswarm'));
    expect(named('app-3')).toMatchObject({ task: { taskName: 'lbswarm.3' } });
    expect(named('sticky-ok-1')).toBeNull();
    expect(replicaScopeOfRun(merged, lab('sticky-ok'), 'gone')).toEqual({ preferServiceIds: ['lab-sticky-ok'], onlyServiceIds: [] });
  });

  it('split routers list each task once per Traefik service: its server URL still names one task', () => {
    const { merged, lab, replicaUrl } = labBeside((name, slot) => `${name}-${slot}`);
    const split = merged.services.find((s) => s.id === 'lab-split-routers');
    expect(split?.servers.filter((s) => s.url === replicaUrl('split-routers', 1))).toHaveLength(2);
    const find = buildReplicaIndex(merged, replicaScopeOfRun(merged, lab('split-routers'), null));
    // Read as "ambiguous: split-routers.1, split-routers.1" before.
    expect(find(replicaUrl('split-routers', 1))).toMatchObject({ task: { taskName: 'split-routers.1', via: 'server-url' } });
  });

  it('lab tasks share one address: an address with a port maps by server URL, the address alone stays ambiguous, the VIP is no task', () => {
    const { merged, lab, replicaUrl } = labBeside((name, slot) => `${name}-${slot}`);
    const find = buildReplicaIndex(merged, replicaScopeOfRun(merged, lab('sticky-ok'), null));
    // Read as "ambiguous: sticky-ok.1, sticky-ok.2, sticky-ok.3" before.
    expect(find(replicaUrl('sticky-ok', 2).replace('http://', ''))).toMatchObject({ task: { taskName: 'sticky-ok.2', via: 'server-url' } });
    expect(ambiguousNames(find('127.0.0.1'))).toEqual(['sticky-ok.1', 'sticky-ok.2', 'sticky-ok.3']);
    // The cookie of an lbswarm service names its VIP; read as "ambiguous: lbswarm.1, lbswarm.2, lbswarm.3" before.
    expect(buildReplicaIndex(merged, replicaScopeOfRun(merged, lab('lbswarm'), null))('http://127.0.0.1:40998')).toBeNull();
  });
});
