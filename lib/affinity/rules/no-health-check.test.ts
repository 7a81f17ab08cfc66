import { describe, expect, it } from 'vitest';
import { aService, editLabels, goodLabels, runRule } from '../test-model';
import { noHealthCheck } from './no-health-check';

const unchecked = (overrides = {}) =>
  aService({
    traefikHealthCheck: false,
    hasHealthCheck: false,
    labels: editLabels(goodLabels, {}, ['traefik.http.services.web.loadbalancer.healthcheck.path']),
    ...overrides,
  });

describe('no-health-check', () => {
  it('reports a sticky multi-replica service without any health check', () => {
    const [finding] = runRule(noHealthCheck, unchecked());
    expect(finding?.severity).toBe('warning');
    expect(finding?.fix?.labelsToAdd).toEqual({
      'traefik.http.services.web.loadbalancer.healthcheck.path': '/',
      'traefik.http.services.web.loadbalancer.healthcheck.interval': '10s',
    });
  });

  it('is silent with a Traefik health check, a Docker HEALTHCHECK, no cookie, or one replica', () => {
    expect(runRule(noHealthCheck, unchecked({ traefikHealthCheck: true }))).toEqual([]);
    expect(runRule(noHealthCheck, unchecked({ hasHealthCheck: true }))).toEqual([]);
    expect(runRule(noHealthCheck, unchecked({ labels: goodLabels }))).toEqual([]);
    expect(runRule(noHealthCheck, unchecked({ sticky: null }))).toEqual([]);
    expect(runRule(noHealthCheck, unchecked({ replicas: { desired: 1, running: 1 } }))).toEqual([]);
  });
});
