import { describe, expect, it } from 'vitest';
import { aLabelConfig, aService, runRule } from '../test-model';
import { lbswarmDefeatsSticky } from './lbswarm-defeats-sticky';

describe('lbswarm-defeats-sticky', () => {
  it('reports the lbswarm label and removes it by its exact key', () => {
    const labels = { ...aService().labels, 'traefik.Swarm.LBSwarm': 'true' };
    const [finding] = runRule(lbswarmDefeatsSticky, aService({ labels, labelConfig: aLabelConfig({ lbswarm: true }) }));
    expect(finding?.severity).toBe('error');
    expect(finding?.evidence).toContainEqual({ label: 'traefik.Swarm.LBSwarm', value: 'true' });
    expect(finding?.fix?.labelsToRemove).toEqual(['traefik.Swarm.LBSwarm']);
  });

  it('reports a lone VIP server for a multi-replica service even without the label', () => {
    const [finding] = runRule(lbswarmDefeatsSticky, aService({ servers: [{ url: 'http://10.0.1.2:8080', status: 'UP', taskId: null }] }));
    expect(finding?.evidence).toContainEqual({ label: 'only server', value: expect.stringContaining('http://10.0.1.2:8080') });
  });

  it('is silent for per-task servers, lbswarm=false, or a single replica', () => {
    expect(runRule(lbswarmDefeatsSticky, aService())).toEqual([]);
    expect(runRule(lbswarmDefeatsSticky, aService({ labels: { ...aService().labels, 'traefik.swarm.lbswarm': 'false' } }))).toEqual([]);
    const one = aService({ replicas: { desired: 1, running: 1 }, labelConfig: aLabelConfig({ lbswarm: true }) });
    expect(runRule(lbswarmDefeatsSticky, one)).toEqual([]);
  });

  it('does not take a lone server that is a task address for a VIP', () => {
    const service = aService();
    const only = { ...service.servers[0]!, taskId: null };
    expect(runRule(lbswarmDefeatsSticky, { ...service, servers: [only] })).toEqual([]);
  });
});
