import { describe, expect, it } from 'vitest';
import { aService, runRule } from '../test-model';
import { singleReplica } from './single-replica';

describe('single-replica', () => {
  it('notes a routed service with one replica', () => {
    const [finding] = runRule(singleReplica, aService({ replicas: { desired: 1, running: 1 } }));
    expect(finding).toMatchObject({ rule: 'single-replica', severity: 'info', fix: null });
  });

  it('is silent for several replicas (desired or running) or no router', () => {
    expect(runRule(singleReplica, aService())).toEqual([]);
    expect(runRule(singleReplica, aService({ replicas: { desired: 3, running: 1 } }))).toEqual([]);
    expect(runRule(singleReplica, aService({ replicas: { desired: 1, running: 1 }, routers: [] }))).toEqual([]);
  });
});
