import { describe, expect, it } from 'vitest';

import { SourceError } from '@/lib/errors';

import { assertSwarmManager, expandHostnameTemplate, mapSwarmSnapshot, stripPrefixLength, type RawSwarmPayloads } from './map';

// Payloads in the Docker Engine API shape (API 1.41), trimmed to what matters plus some noise.
const now = new Date('2026-03-01T12:00:00Z');
const minutesAgo = (m: number) => new Date(now.getTime() - m * 60_000).toISOString();

const version = { Version: '27.3.1', ApiVersion: '1.47', MinAPIVersion: '1.24', Os: 'linux' };
const info = { ID: 'x', Swarm: { NodeID: 'node-a', LocalNodeState: 'active', ControlAvailable: true, Error: '', Nodes: 2, Managers: 1 } };

const nodes = [
  {
    ID: 'node-a',
    Spec: { Role: 'manager', Availability: 'active', Labels: {} },
    Description: { Hostname: 'mgr-1', Engine: { EngineVersion: '27.3.1' }, Platform: { OS: 'linux' } },
    Status: { State: 'ready', Addr: '0.0.0.0' },
    ManagerStatus: { Leader: true, Reachability: 'reachable', Addr: '192.168.1.10:2377' },
  },
  {
    ID: 'node-b',
    Spec: { Role: 'worker', Availability: 'drain' },
    Description: { Hostname: 'wrk-1', Engine: { EngineVersion: '' } },
    Status: { State: 'down', Addr: '192.168.1.11' },
  },
  { Spec: { Role: 'worker' } },
];

const networks = [
  { Name: 'ingress', Id: 'net-ingress', Driver: 'overlay', Scope: 'swarm', Ingress: true },
  { Name: 'backend', Id: 'net-backend', Driver: 'overlay', Scope: 'swarm', Ingress: false, Attachable: true },
  { Name: 'host', Id: 'net-host', Driver: 'host', Scope: 'local' },
];

const webService = {
  ID: 'svc-web',
  Version: { Index: 42 },
  CreatedAt: '2026-02-01T10:00:00Z',
  UpdatedAt: '2026-02-02T10:00:00Z',
  Spec: {
    Name: 'shop_web',
    Labels: {
      'com.docker.stack.namespace': 'shop',
      'traefik.http.services.web.loadbalancer.sticky.cookie': 'true',
      'odd.number': 5,
    },
    TaskTemplate: {
      ContainerSpec: {
        Image: 'shop/web:1@sha256:abc',
        Hostname: '{{.Service.Name}}-{{.Task.Slot}}',
        Env: ['DB_PASSWORD=hunter2-env', 'API_TOKEN=tok-env-123'],
        Secrets: [{ File: { Name: 'db_pass' }, SecretID: 'secret-id-777', SecretName: 'shop_db_password' }],
        Configs: [{ File: { Name: '/etc/app.conf' }, ConfigID: 'config-id-888', ConfigName: 'shop_app_conf' }],
        Healthcheck: { Test: ['CMD-SHELL', 'wget -q -O- localhost/health'], Interval: 5_000_000_000 },
      },
      Networks: [{ Target: 'net-backend', Aliases: ['web'] }],
      Placement: { Constraints: ['node.role==worker'] },
    },
    Mode: { Replicated: { Replicas: 3 } },
    UpdateConfig: { Parallelism: 1 },
    EndpointSpec: { Mode: 'vip', Ports: [{ Protocol: 'tcp', TargetPort: 80, PublishMode: 'ingress' }] },
  },
  Endpoint: {
    Spec: { Mode: 'vip' },
    Ports: [
      { Protocol: 'tcp', TargetPort: 80, PublishedPort: 8080, PublishMode: 'ingress' },
      { Protocol: 'udp', TargetPort: 53, PublishedPort: 5353, PublishMode: 'host' },
      { Protocol: 'tcp', PublishedPort: 1 },
    ],
    VirtualIPs: [
      { NetworkID: 'net-ingress', Addr: '10.0.0.5/24' },
      { NetworkID: 'net-backend', Addr: '10.0.1.2/24' },
    ],
  },
  UpdateStatus: { State: 'rollback_completed', StartedAt: '2026-02-02T10:00:00Z', Message: 'rollback completed' },
  ServiceStatus: { RunningTasks: 2, DesiredTasks: 3 },
};

const agentService = {
  ID: 'svc-agent',
  Spec: {
    Name: 'agent',
    TaskTemplate: {
      ContainerSpec: { Image: 'agent:2', Hostname: '{{.Node.Hostname}}-{{.Task.Slot}}', Healthcheck: { Test: ['NONE'] } },
      Networks: [{ Target: 'backend' }, { Target: 'net-unknown' }],
    },
    Mode: { Global: {} },
    EndpointSpec: { Mode: 'dnsrr' },
  },
  Endpoint: { Spec: { Mode: 'dnsrr' } },
};

const oddService = {
  ID: 'svc-odd',
  Spec: { Name: 'odd', Labels: 'not-a-map', Mode: 'weird', TaskTemplate: { ContainerSpec: { Hostname: 42 } } },
  Endpoint: { VirtualIPs: [{ NetworkID: 'net-host' }] },
  UpdateStatus: null,
};

const attachment = (ip: string) => ({
  Network: { ID: 'net-backend', Spec: { Name: 'backend', Driver: 'overlay' } },
  Addresses: [`${ip}/24`],
});

const webTask = (slot: number, extra: Record<string, unknown> = {}) => ({
  ID: `task-web-${slot}`,
  ServiceID: 'svc-web',
  Slot: slot,
  NodeID: 'node-a',
  DesiredState: 'running',
  UpdatedAt: minutesAgo(60),
  Spec: webService.Spec.TaskTemplate,
  Status: {
    Timestamp: minutesAgo(60),
    State: 'running',
    Message: 'started',
    ContainerStatus: { ContainerID: `container-${slot}`, PID: 100 + slot },
  },
  NetworksAttachments: [attachment(`10.0.1.${10 + slot}`)],
  ...extra,
});

const tasks = [
  webTask(2),
  webTask(1),
  webTask(3, {
    ID: 'task-web-3-failed',
    DesiredState: 'shutdown',
    Status: { Timestamp: minutesAgo(2), State: 'failed', Message: 'started', Err: 'task: non-zero exit (137)' },
    NetworksAttachments: [{ Network: { ID: 'net-ingress' }, Addresses: ['10.0.0.9/24'] }],
  }),
  webTask(3, {
    ID: 'task-web-3-ancient',
    DesiredState: 'shutdown',
    UpdatedAt: minutesAgo(600),
    Status: { Timestamp: minutesAgo(600), State: 'shutdown' },
  }),
  {
    ID: 'task-agent-a',
    ServiceID: 'svc-agent',
    NodeID: 'node-a',
    DesiredState: 'running',
    Spec: agentService.Spec.TaskTemplate,
    Status: { State: 'running', ContainerStatus: { ContainerID: 'c-agent' } },
  },
  {
    ID: 'task-odd',
    ServiceID: 'svc-odd',
    Slot: 'one',
    DesiredState: 'running',
    Spec: { ContainerSpec: { Hostname: 'x-{{.Service.Labels}}' } },
    Status: 'bogus',
    NetworksAttachments: 'none',
  },
  { ID: 'task-orphan', DesiredState: 'running' },
];

const payloads: RawSwarmPayloads = {
  version,
  info,
  nodes,
  services: [webService, agentService, oddService, { Spec: { Name: 'no-id' } }],
  tasks,
  networks,
};

const snapshot = () => mapSwarmSnapshot(payloads, { apiVersion: '1.47', now });

describe('mapSwarmSnapshot', () => {
  it('maps engine, nodes and networks, skipping unusable entries with a warning', () => {
    const snap = snapshot();
    expect(snap.readAt).toBe('2026-03-01T12:00:00.000Z');
    expect(snap.engine).toEqual({ version: '27.3.1', apiVersion: '1.47', nodeId: 'node-a' });
    expect(snap.nodes).toEqual([
      {
        id: 'node-a',
        hostname: 'mgr-1',
        role: 'manager',
        availability: 'active',
        state: 'ready',
        address: '192.168.1.10',
        leader: true,
        engineVersion: '27.3.1',
      },
      {
        id: 'node-b',
        hostname: 'wrk-1',
        role: 'worker',
        availability: 'drain',
        state: 'down',
        address: '192.168.1.11',
        leader: false,
        engineVersion: null,
      },
    ]);
    expect(snap.networks.map((n) => [n.name, n.ingress, n.driver])).toEqual([
      ['backend', false, 'overlay'],
      ['host', false, 'host'],
      ['ingress', true, 'overlay'],
    ]);
    expect(snap.warnings).toEqual([
      'skipped 1 unusable node entry',
      'skipped 1 unusable service entry',
      'skipped 1 unusable task entry',
    ]);
  });

  it('maps a replicated vip service with ports, networks, VIPs, labels, health check and update status', () => {
    const web = snapshot().services.find((s) => s.id === 'svc-web');
    expect(web).toEqual({
      id: 'svc-web',
      name: 'shop_web',
      stack: 'shop',
      mode: 'replicated',
      desiredReplicas: 3,
      endpointMode: 'vip',
      ports: [
        { protocol: 'tcp', targetPort: 80, publishedPort: 8080, publishMode: 'ingress' },
        { protocol: 'udp', targetPort: 53, publishedPort: 5353, publishMode: 'host' },
      ],
      networks: [{ id: 'net-backend', name: 'backend' }],
      virtualIps: [
        { networkId: 'net-ingress', address: '10.0.0.5' },
        { networkId: 'net-backend', address: '10.0.1.2' },
      ],
      labels: {
        'com.docker.stack.namespace': 'shop',
        'traefik.http.services.web.loadbalancer.sticky.cookie': 'true',
      },
      hasHealthCheck: true,
      taskCounts: { running: 2, desired: 3 },
      updateStatus: { state: 'rollback_completed', message: 'rollback completed' },
      createdAt: '2026-02-01T10:00:00Z',
      updatedAt: '2026-02-02T10:00:00Z',
    });
  });

  it('maps a global dnsrr service, resolving network targets given by name and keeping unknown ones', () => {
    const agent = snapshot().services.find((s) => s.id === 'svc-agent');
    expect(agent).toMatchObject({
      mode: 'global',
      desiredReplicas: null,
      endpointMode: 'dnsrr',
      hasHealthCheck: false,
      stack: null,
      ports: [],
      virtualIps: [],
      networks: [
        { id: 'net-backend', name: 'backend' },
        { id: 'net-unknown', name: null },
      ],
      taskCounts: null,
      updateStatus: null,
    });
  });

  it('tolerates odd values instead of failing', () => {
    const odd = snapshot().services.find((s) => s.id === 'svc-odd');
    expect(odd).toMatchObject({ name: 'odd', mode: 'unknown', labels: {}, virtualIps: [], endpointMode: 'vip', hasHealthCheck: false });
    const task = snapshot().tasks.find((t) => t.id === 'task-odd');
    expect(task).toMatchObject({ slot: null, state: 'unknown', hostname: null, addresses: [], containerId: null });
  });

  it('maps tasks: slot, states, node, container, expanded hostname, IPs without prefix, errors', () => {
    const web = snapshot().tasks.filter((t) => t.serviceId === 'svc-web');
    expect(web.map((t) => [t.id, t.slot, t.state, t.desiredState])).toEqual([
      ['task-web-1', 1, 'running', 'running'],
      ['task-web-2', 2, 'running', 'running'],
      ['task-web-3-failed', 3, 'failed', 'shutdown'],
    ]);
    expect(web[0]).toEqual({
      id: 'task-web-1',
      serviceId: 'svc-web',
      slot: 1,
      nodeId: 'node-a',
      state: 'running',
      desiredState: 'running',
      containerId: 'container-1',
      hostname: 'shop_web-1',
      addresses: [{ networkId: 'net-backend', networkName: 'backend', ip: '10.0.1.11' }],
      error: null,
      message: 'started',
      updatedAt: minutesAgo(60),
    });
    expect(web[2]).toMatchObject({
      error: 'task: non-zero exit (137)',
      containerId: null,
      addresses: [{ networkId: 'net-ingress', networkName: 'ingress', ip: '10.0.0.9' }],
    });
  });

  it('drops tasks that stopped long ago but keeps recent ones, within a configurable window', () => {
    expect(snapshot().tasks.map((t) => t.id)).not.toContain('task-web-3-ancient');
    const wide = mapSwarmSnapshot(payloads, { apiVersion: '1.47', now, recentTaskWindowMs: 24 * 3600_000 });
    expect(wide.tasks.map((t) => t.id)).toContain('task-web-3-ancient');
    const narrow = mapSwarmSnapshot(payloads, { apiVersion: '1.47', now, recentTaskWindowMs: 60_000 });
    expect(narrow.tasks.map((t) => t.id)).not.toContain('task-web-3-failed');
  });

  it('expands a global task hostname with the node hostname and the node ID as slot', () => {
    const agent = snapshot().tasks.find((t) => t.id === 'task-agent-a');
    expect(agent).toMatchObject({ slot: null, hostname: 'mgr-1-node-a', containerId: 'c-agent' });
  });

  it('never carries service env vars, secrets or configs', () => {
    const json = JSON.stringify(snapshot());
    for (const secret of [
      'hunter2-env',
      'DB_PASSWORD',
      'API_TOKEN',
      'tok-env-123',
      'secret-id-777',
      'shop_db_password',
      'db_pass',
      'config-id-888',
      'shop_app_conf',
      'app.conf',
      'Placement',
      'node.role',
    ]) {
      expect(json).not.toContain(secret);
    }
  });

  it('fails only when a whole list is unusable', () => {
    expect(() => mapSwarmSnapshot({ ...payloads, tasks: { message: 'nope' } }, { apiVersion: '1.47', now })).toThrow(SourceError);
    const noNetworks = mapSwarmSnapshot({ ...payloads, networks: null, version: 'garbage', info: null }, { apiVersion: '1.41', now });
    expect(noNetworks.engine).toEqual({ version: null, apiVersion: '1.41', nodeId: null });
    // Names still come from the tasks' own network attachments.
    expect(noNetworks.services.find((s) => s.id === 'svc-web')?.networks).toEqual([{ id: 'net-backend', name: 'backend' }]);
  });
});

describe('expandHostnameTemplate', () => {
  const ctx = {
    serviceId: 'svc1',
    serviceName: 'web',
    nodeId: 'n1',
    nodeHostname: 'host-a',
    taskId: 't1',
    taskName: 'web.2.t1',
    slot: 2,
  };

  it('expands the placeholders swarmkit offers, with or without spaces', () => {
    expect(expandHostnameTemplate('app-{{.Task.Slot}}', ctx)).toBe('app-2');
    expect(expandHostnameTemplate('{{ .Service.Name }}.{{.Node.Hostname}}', ctx)).toBe('web.host-a');
    expect(expandHostnameTemplate('{{.Task.Name}}', ctx)).toBe('web.2.t1');
    expect(expandHostnameTemplate('{{.Service.ID}}-{{.Node.ID}}-{{.Task.ID}}', ctx)).toBe('svc1-n1-t1');
    expect(expandHostnameTemplate('plain', ctx)).toBe('plain');
  });

  it('returns null rather than a wrong name', () => {
    expect(expandHostnameTemplate('{{.Node.Platform.OS}}', ctx)).toBeNull();
    expect(expandHostnameTemplate('{{index .Service.Labels "x"}}', ctx)).toBeNull();
    expect(expandHostnameTemplate('{{.Node.Hostname}}', { ...ctx, nodeHostname: null })).toBeNull();
  });
});

describe('assertSwarmManager', () => {
  const code = (raw: unknown) => {
    try {
      assertSwarmManager(raw, 'unix:///x.sock');
      return 'ok';
    } catch (error) {
      return error instanceof SourceError ? `${error.code}: ${error.message}` : 'other';
    }
  };

  it('accepts a manager and unreadable info', () => {
    expect(code(info)).toBe('ok');
    expect(code('garbage')).toBe('ok');
  });

  it('explains a plain engine, a worker and a locked swarm', () => {
    expect(code({ Swarm: { LocalNodeState: 'inactive' } })).toMatch(/^not-swarm-manager: .*is not part of a swarm/);
    expect(code({ Swarm: { LocalNodeState: 'active', ControlAvailable: false } })).toMatch(
      /^not-swarm-manager: .*is a Swarm worker; point DOCKER_HOST at a manager/,
    );
    expect(code({ Swarm: { LocalNodeState: 'locked' } })).toMatch(/^not-swarm-manager: .*locked/);
  });
});

describe('stripPrefixLength', () => {
  it('strips IPv4 and IPv6 prefix lengths', () => {
    expect(stripPrefixLength('10.0.0.2/24')).toBe('10.0.0.2');
    expect(stripPrefixLength('fd00::2/64')).toBe('fd00::2');
    expect(stripPrefixLength('10.0.0.2')).toBe('10.0.0.2');
  });
});
