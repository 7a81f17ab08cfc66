import { describe, expect, it } from 'vitest';
import { parseConfig } from '@/lib/env';
import { assertAvailable, unavailableReason } from './availability';
import { experimentActions, type ExperimentAction } from './types';

const on = { STICKYSCOPE_EXPERIMENTS: '1', STICKYSCOPE_EXPERIMENT_SERVICES: 'web-*' };
const noDefaultSocket = () => false;
const config = (env: Record<string, string>) => parseConfig(env, noDefaultSocket);

const available = (env: Record<string, string>) =>
  Object.fromEntries(experimentActions.map((a) => [a, unavailableReason(a, config(env))])) as Record<ExperimentAction, string | null>;

describe('unavailableReason', () => {
  it('offers nothing while experiments are off, naming the setting', () => {
    for (const reason of Object.values(available({ DOCKER_HOST: 'unix:///var/run/docker.sock' }))) expect(reason).toMatch(/STICKYSCOPE_EXPERIMENTS=1/);
  });

  it('offers the Docker actions with a cluster’s Docker API, also when the demo lab runs beside it', () => {
    const withCluster: Record<string, string>[] = [{ ...on, DOCKER_HOST: 'tcp://127.0.0.1:2375' }, { ...on, DOCKER_HOST: 'tcp://127.0.0.1:2375', STICKYSCOPE_LAB: '1' }];
    for (const env of withCluster) {
      const reasons = available(env);
      expect(config(env).lab).toBe(env.STICKYSCOPE_LAB === '1');
      for (const action of ['kill-task', 'scale-down', 'scale-up', 'restart'] as const) expect(reasons[action]).toBeNull();
      expect(reasons.drain).toMatch(/HAPROXY_RUNTIME_API/);
      expect(reasons.ready).toMatch(/HAPROXY_RUNTIME_API/);
    }
  });

  it('needs the Docker API for every action, HAProxy’s included: a preview reads the service and task from it', () => {
    const reasons = available({ ...on, HAPROXY_RUNTIME_API: '127.0.0.1:9999', TRAEFIK_API_URL: 'http://127.0.0.1:8080' });
    for (const reason of Object.values(reasons)) expect(reason).toBe('needs the Docker API of a Swarm manager: set DOCKER_HOST');
  });

  it('says the demo lab alone has no Docker engine', () => {
    expect(unavailableReason('restart', config(on))).toBe(
      'needs the Docker API of a Swarm manager: set DOCKER_HOST (the embedded demo lab has no Docker engine to act on)',
    );
  });

  it('offers drain and ready with both the Docker API and the Runtime API', () => {
    const reasons = available({ ...on, DOCKER_HOST: 'tcp://127.0.0.1:2375', HAPROXY_RUNTIME_API: '/run/haproxy/admin.sock' });
    expect(Object.values(reasons)).toEqual(experimentActions.map(() => null));
  });
});

describe('assertAvailable', () => {
  it('throws the API’s errors: disabled, or unavailable naming the action', () => {
    expect(() => assertAvailable('drain', config({}))).toThrow(expect.objectContaining({ code: 'experiments-disabled' }));
    expect(() => assertAvailable('drain', config({ ...on, DOCKER_HOST: 'tcp://127.0.0.1:2375' }))).toThrow(
      expect.objectContaining({ code: 'experiment-unavailable', message: expect.stringMatching(/^Drain the server in HAProxy: needs HAProxy/) }),
    );
    expect(() => assertAvailable('kill-task', config({ ...on, DOCKER_HOST: 'tcp://127.0.0.1:2375' }))).not.toThrow();
  });
});
