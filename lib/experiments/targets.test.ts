import { describe, expect, it } from 'vitest';
import { serviceMatchesPatterns } from './config';
import { checkExperimentTarget, checkServiceAllowed, type TargetFacts } from './targets';

const facts = (over: Partial<TargetFacts> = {}): TargetFacts => ({
  action: 'kill-task',
  requestedService: 'web-sticky',
  service: { id: 'svc1', name: 'web-sticky', replicas: 3 },
  task: { id: 'task1', serviceId: 'svc1', state: 'running', containerId: 'c'.repeat(64), nodeId: 'node1' },
  engineNodeId: 'node1',
  haproxyServers: null,
  ...over,
});

const reason = (f: TargetFacts) => {
  const r = checkExperimentTarget(f);
  return r.ok ? null : r.reason;
};

describe('service patterns', () => {
  it('match names exactly or by * and ? globs, nothing else', () => {
    expect(serviceMatchesPatterns('web-sticky', ['web-sticky'])).toBe(true);
    expect(serviceMatchesPatterns('web-sticky', ['web-*'])).toBe(true);
    expect(serviceMatchesPatterns('shop_web-2', ['shop_web-?'])).toBe(true);
    expect(serviceMatchesPatterns('web-sticky-2', ['web-sticky'])).toBe(false);
    expect(serviceMatchesPatterns('xweb-sticky', ['web-*'])).toBe(false);
    expect(serviceMatchesPatterns('webXsticky', ['web.sticky'])).toBe(false);
    expect(serviceMatchesPatterns('Web-sticky', ['web-*'])).toBe(false);
    expect(serviceMatchesPatterns('anything', [])).toBe(false);
  });

  it('refuse a service outside STICKYSCOPE_EXPERIMENT_SERVICES, naming the setting', () => {
    expect(checkServiceAllowed('db', ['web-*'])).toEqual({
      ok: false,
      reason: 'service "db" is not among the services experiments may act on (STICKYSCOPE_EXPERIMENT_SERVICES=web-*)',
    });
  });
});

describe('checkExperimentTarget', () => {
  it('allows killing a running task of an allowed service on the engine’s own node', () => {
    expect(checkExperimentTarget(facts())).toEqual({ ok: true });
  });

  it('refuses a task of another service: the replica must belong to the allowed service', () => {
    expect(reason(facts({ task: { ...facts().task!, serviceId: 'svc-db' } }))).toBe('task task1 does not belong to service "web-sticky"');
  });

  it('refuses when the engine names the service differently from the request', () => {
    expect(reason(facts({ service: { id: 'svc1', name: 'web-other', replicas: 3 } }))).toMatch(/is named "web-other", not "web-sticky"/);
  });

  it('refuses a service or task that is gone', () => {
    expect(reason(facts({ service: null }))).toMatch(/does not exist/);
    expect(reason(facts({ task: null }))).toMatch(/task does not exist/);
  });

  it('kills only a running task with a container, on the node of the engine it talks to', () => {
    expect(reason(facts({ task: { ...facts().task!, state: 'shutdown', containerId: null } }))).toMatch(/is shutdown, not running/);
    expect(reason(facts({ task: { ...facts().task!, nodeId: 'node2' } }))).toMatch(/runs on node node2, but stickyscope talks to the engine of node node1/);
    expect(reason(facts({ engineNodeId: null }))).toMatch(/\(unknown\)/);
  });

  it('scales down only a replicated service with at least two replicas', () => {
    expect(checkExperimentTarget(facts({ action: 'scale-down' }))).toEqual({ ok: true });
    expect(reason(facts({ action: 'scale-down', service: { id: 'svc1', name: 'web-sticky', replicas: 1 } }))).toMatch(/would take it away/);
    expect(reason(facts({ action: 'scale-down', service: { id: 'svc1', name: 'web-sticky', replicas: null } }))).toMatch(/global/);
    expect(reason(facts({ action: 'scale-up', service: { id: 'svc1', name: 'web-sticky', replicas: null } }))).toMatch(/global/);
  });

  it('scales up without the task, which the scale-down it undoes may have removed', () => {
    expect(checkExperimentTarget(facts({ action: 'scale-up', task: null }))).toEqual({ ok: true });
    expect(reason(facts({ action: 'scale-up', task: null, service: { id: 'svc1', name: 'web-sticky', replicas: null } }))).toMatch(/global/);
    expect(reason(facts({ action: 'scale-up', task: { ...facts().task!, serviceId: 'svc-db' } }))).toMatch(/does not belong/);
    for (const action of ['kill-task', 'scale-down', 'restart', 'drain', 'ready'] as const) {
      expect(reason(facts({ action, task: null, haproxyServers: ['be/app-1'] }))).toMatch(/task does not exist/);
    }
  });

  it('restarts or scales whatever node the task is on', () => {
    const elsewhere = { task: { ...facts().task!, nodeId: 'node9' }, engineNodeId: null };
    expect(checkExperimentTarget(facts({ action: 'restart', ...elsewhere }))).toEqual({ ok: true });
    expect(checkExperimentTarget(facts({ action: 'scale-up', ...elsewhere }))).toEqual({ ok: true });
  });

  it('drains only with a Runtime API and a server matching the task', () => {
    expect(reason(facts({ action: 'drain' }))).toMatch(/HAPROXY_RUNTIME_API/);
    expect(reason(facts({ action: 'drain', haproxyServers: [] }))).toMatch(/no HAProxy server matches task task1/);
    expect(checkExperimentTarget(facts({ action: 'drain', haproxyServers: ['be/app-1'] }))).toEqual({ ok: true });
    expect(checkExperimentTarget(facts({ action: 'ready', haproxyServers: ['be/app-1'] }))).toEqual({ ok: true });
  });
});
