import { describe, expect, it } from 'vitest';
import { isAllowedExperimentCall as allowed, createExperimentDocker } from './docker-writer';
import { ExperimentError } from './errors';

const conn = { host: 'unix:///nonexistent/docker.sock', tls: null, timeoutMs: 1000 };

describe('the experiments’ Docker client', () => {
  it('cannot be made while experiments are off', () => {
    expect(() => createExperimentDocker({ enabled: false, services: ['web'], haproxyRuntimeApi: null }, conn)).toThrow(ExperimentError);
    expect(() => createExperimentDocker({ enabled: false, services: ['web'], haproxyRuntimeApi: null }, conn)).toThrow(/STICKYSCOPE_EXPERIMENTS=1/);
  });

  it('needs a Docker host', () => {
    expect(() => createExperimentDocker({ enabled: true, services: ['web'], haproxyRuntimeApi: null }, null)).toThrow(/DOCKER_HOST/);
  });

  it('allows exactly the calls the actions need', () => {
    expect(allowed('GET', '/services/abc123')).toBe(true);
    expect(allowed('POST', '/services/abc123/update', { version: '12' })).toBe(true);
    expect(allowed('GET', '/tasks/abc123')).toBe(true);
    expect(allowed('POST', `/containers/${'a'.repeat(64)}/kill`)).toBe(true);
    expect(allowed('GET', '/info')).toBe(true);
  });

  it('refuses everything else: other methods, paths, query keys and signals', () => {
    expect(allowed('DELETE', '/services/abc123')).toBe(false);
    expect(allowed('POST', '/services/create')).toBe(false);
    expect(allowed('POST', '/services/abc123/update', { version: '1', registryAuthFrom: 'previous-spec' })).toBe(false);
    expect(allowed('POST', `/containers/${'a'.repeat(64)}/kill`, { signal: 'SIGHUP' })).toBe(false);
    expect(allowed('POST', `/containers/${'a'.repeat(64)}/exec`)).toBe(false);
    expect(allowed('POST', '/containers/../swarm/leave/kill')).toBe(false);
    expect(allowed('GET', '/swarm')).toBe(false);
    expect(allowed('GET', '/secrets')).toBe(false);
    expect(allowed('POST', '/swarm/leave')).toBe(false);
    expect(allowed('GET', '/services/web-sticky')).toBe(false);
  });
});
