import { describe, expect, it } from 'vitest';
import { aLabelConfig, aService, editLabels, goodLabels, runRule } from '../test-model';
import { v1LabelsIgnored } from './v1-labels-ignored';

const stickyKeys = Object.keys(goodLabels).filter((k) => k.includes('.sticky'));
const v2Only = editLabels(goodLabels, {}, stickyKeys);

describe('v1-labels-ignored', () => {
  it('reports v1 stickiness labels on a non-sticky service and replaces them with the v2 cookie', () => {
    const labels = { ...v2Only, 'traefik.backend.loadbalancer.stickiness': 'true', 'traefik.backend.loadbalancer.stickiness.cookieName': 'srv' };
    const service = aService({ labels, sticky: null, labelSticky: null, labelConfig: aLabelConfig({ v1Labels: [{ key: 'traefik.port', value: '80' }] }) });
    const [finding] = runRule(v1LabelsIgnored, service);
    expect(finding?.severity).toBe('error');
    expect(finding?.evidence.map((e) => e.label)).toContain('traefik.backend.loadbalancer.stickiness (v1, ignored)');
    expect(finding?.evidence.map((e) => e.label)).toContain('traefik.port (v1, ignored)');
    expect(finding?.fix).toMatchObject({
      labelsToAdd: {
        'traefik.http.services.web.loadbalancer.sticky.cookie': 'true',
        'traefik.http.services.web.loadbalancer.sticky.cookie.name': 'srv',
      },
      labelsToRemove: ['traefik.backend.loadbalancer.stickiness', 'traefik.backend.loadbalancer.stickiness.cookieName'],
    });
  });

  it('reports `sticky=true` without `.cookie` and adds the cookie key for that Traefik service', () => {
    const labels = { ...v2Only, 'traefik.http.services.web.loadbalancer.sticky': 'true' };
    const [finding] = runRule(v1LabelsIgnored, aService({ labels, sticky: null, labelSticky: null }));
    expect(finding?.fix).toMatchObject({
      labelsToAdd: { 'traefik.http.services.web.loadbalancer.sticky.cookie': 'true' },
      labelsToRemove: ['traefik.http.services.web.loadbalancer.sticky'],
    });
  });

  it('lowers to a warning when the service is sticky anyway', () => {
    const labels = { ...goodLabels, 'traefik.backend.loadbalancer.sticky': 'true' };
    const [finding] = runRule(v1LabelsIgnored, aService({ labels }));
    expect(finding?.severity).toBe('warning');
    expect(finding?.fix?.labelsToAdd).toEqual({});
  });

  it('is silent for v2 cookie labels, including `sticky=true` beside `.cookie`', () => {
    expect(runRule(v1LabelsIgnored, aService())).toEqual([]);
    expect(runRule(v1LabelsIgnored, aService({ labels: { ...goodLabels, 'traefik.http.services.web.loadbalancer.sticky': 'true' } }))).toEqual([]);
  });
});
