import { describe, expect, it } from 'vitest';
import { aLabelConfig, aService, aTask, runRule } from '../test-model';
import { staleServers } from './stale-servers';

describe('stale-servers', () => {
  it('reports a server with no task behind it', () => {
    const service = aService();
    const servers = [...service.servers, { url: 'http://10.0.1.99:8080', status: 'UP' as const, taskId: null }];
    const [finding] = runRule(staleServers, { ...service, servers });
    expect(finding?.severity).toBe('warning');
    expect(finding?.evidence).toEqual([{ label: 'server without task', value: 'http://10.0.1.99:8080 (status UP)' }]);
  });

  it('counts a dead URL once when several Traefik services of the Swarm service list it', () => {
    const service = aService();
    const dead = { url: 'http://10.0.1.99:8080', status: 'UP' as const, taskId: null };
    const servers = [...service.servers, { ...dead, traefikService: 'web@swarm' }, { ...dead, traefikService: 'web-ws@swarm' }];
    const [finding] = runRule(staleServers, { ...service, servers });
    expect(finding?.message).toMatch(/^1 Traefik server points at no running task/);
    expect(finding?.evidence).toEqual([{ label: 'server without task', value: 'http://10.0.1.99:8080 (status UP, in 2 Traefik services)' }]);
  });

  it('reports a running task no server points at, by slot and address', () => {
    const tasks = [aTask(1), aTask(2), aTask(3)];
    const service = aService({ tasks, replicas: { desired: 3, running: 3 }, unroutedTaskIds: [tasks[2]!.id] });
    const [finding] = runRule(staleServers, service);
    expect(finding?.evidence[0]?.value).toMatch(/^slot 3 .* shop_default=10\.0\.1\.7$/);
  });

  it('is silent when servers and tasks match, for lbswarm, and when servers are unknown', () => {
    expect(runRule(staleServers, aService())).toEqual([]);
    const vip = { url: 'http://10.0.1.2:8080', status: 'UP' as const, taskId: null };
    expect(runRule(staleServers, aService({ servers: [vip], labelConfig: aLabelConfig({ lbswarm: true }) }))).toEqual([]);
    expect(runRule(staleServers, aService({ servers: [], unroutedTaskIds: ['task1'] }))).toEqual([]);
  });
});
