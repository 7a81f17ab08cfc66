import { describe, expect, it } from 'vitest';
import { aLabelConfig, aService, aTask, editLabels, goodLabels, runRule } from '../test-model';
import { ambiguousNetwork } from './ambiguous-network';

const twoNetworks = (slot: number) =>
  aTask(slot, { networks: [{ name: 'shop_default', ip: `10.0.1.${slot + 4}` }, { name: 'shop_backend', ip: `10.0.2.${slot + 4}` }] });
const noLabel = editLabels(goodLabels, {}, ['traefik.swarm.network']);

describe('ambiguous-network', () => {
  it('reports tasks on several networks without a network label, keeping the provider prefix in use', () => {
    const service = aService({ tasks: [twoNetworks(1), twoNetworks(2)], labels: noLabel, labelConfig: aLabelConfig({ network: null }) });
    const [finding] = runRule(ambiguousNetwork, service);
    expect(finding?.severity).toBe('warning');
    expect(finding?.evidence).toContainEqual({ label: 'task slot 1', value: 'shop_default=10.0.1.5, shop_backend=10.0.2.5' });
    expect(finding?.fix?.labelsToAdd).toEqual({ 'traefik.swarm.network': 'shop_default' });
  });

  it('defaults to traefik.docker on a v2 Traefik and traefik.swarm on v3 when the labels use neither', () => {
    const labels = editLabels(noLabel, {}, []);
    const service = aService({ tasks: [twoNetworks(1)], labels, labelConfig: aLabelConfig({ network: null }), routers: [{ ...aService().routers[0]!, provider: null }] });
    const v2 = { sources: { docker: { status: 'ok' as const, ms: 1 }, traefik: { status: 'ok' as const, ms: 1, version: '2.11.3', origin: 'api' as const } } };
    expect(Object.keys(runRule(ambiguousNetwork, service, [], v2)[0]?.fix?.labelsToAdd ?? {})).toEqual(['traefik.docker.network']);
    expect(Object.keys(runRule(ambiguousNetwork, service)[0]?.fix?.labelsToAdd ?? {})).toEqual(['traefik.swarm.network']);
  });

  it('reports a network label missing its stack prefix and fixes it to the attached name', () => {
    const labels = editLabels(goodLabels, { 'traefik.swarm.network': 'backend' }, ['traefik.swarm.network']);
    const service = aService({ tasks: [twoNetworks(1), twoNetworks(2)], labels, labelConfig: aLabelConfig({ network: 'backend' }) });
    expect(runRule(ambiguousNetwork, service)[0]?.fix?.labelsToAdd).toEqual({ 'traefik.swarm.network': 'shop_backend' });
  });

  it('counts ingress as a network Traefik may pick, but never suggests it', () => {
    const withIngress = aTask(1, { networks: [{ name: 'ingress', ip: '10.0.0.5' }, { name: 'shop_default', ip: '10.0.1.5' }] });
    const service = aService({ tasks: [withIngress], labels: noLabel, labelConfig: aLabelConfig({ network: null }) });
    expect(runRule(ambiguousNetwork, service)[0]?.fix?.labelsToAdd).toEqual({ 'traefik.swarm.network': 'shop_default' });
  });

  it('is silent with a working network label or one network per task', () => {
    expect(runRule(ambiguousNetwork, aService({ tasks: [twoNetworks(1), twoNetworks(2)] }))).toEqual([]);
    expect(runRule(ambiguousNetwork, aService({ labels: noLabel, labelConfig: aLabelConfig({ network: null }) }))).toEqual([]);
  });
});
