import { describe, expect, it } from 'vitest';
import { aService, editLabels, goodLabels, runRule } from '../test-model';
import { noSticky } from './no-sticky';

const stickyKeys = Object.keys(goodLabels).filter((k) => k.includes('.sticky'));
const unsticky = (overrides = {}) =>
  aService({ sticky: null, labelSticky: null, labels: editLabels(goodLabels, {}, stickyKeys), ...overrides });

describe('no-sticky', () => {
  it('reports a routed multi-replica service without a sticky cookie, with the cookie label as fix', () => {
    const [finding, ...rest] = runRule(noSticky, unsticky());
    expect(rest).toEqual([]);
    expect(finding).toMatchObject({ rule: 'no-sticky', severity: 'error', service: 'shop_web' });
    expect(finding?.evidence).toContainEqual({ label: 'traefik service', value: 'web' });
    expect(finding?.fix?.labelsToAdd).toEqual({
      'traefik.http.services.web.loadbalancer.sticky.cookie': 'true',
      'traefik.http.services.web.loadbalancer.sticky.cookie.httponly': 'true',
      'traefik.http.services.web.loadbalancer.sticky.cookie.secure': 'true',
    });
  });

  it('leaves Secure out of the fix when a router serves plain http', () => {
    const service = unsticky({ routers: [aService().routers[0]!].map((r) => ({ ...r, tls: false, entryPoints: ['web'] })) });
    expect(Object.keys(runRule(noSticky, service)[0]?.fix?.labelsToAdd ?? {})).not.toContain(
      'traefik.http.services.web.loadbalancer.sticky.cookie.secure',
    );
  });

  it('uses the Traefik service name the labels already use', () => {
    const labels = { 'traefik.http.routers.shop.rule': 'Host(`a`)', 'traefik.http.Services.Shop-App.loadbalancer.server.port': '80' };
    const service = unsticky({ labels, routers: [{ ...aService().routers[0]!, service: 'Shop-App@swarm' }] });
    expect(runRule(noSticky, service)[0]?.fix?.labelsToAdd).toHaveProperty(['traefik.http.services.Shop-App.loadbalancer.sticky.cookie'], 'true');
  });

  it('is silent for a sticky service, a single replica, or an unrouted service', () => {
    expect(runRule(noSticky, aService())).toEqual([]);
    expect(runRule(noSticky, unsticky({ replicas: { desired: 1, running: 1 } }))).toEqual([]);
    expect(runRule(noSticky, unsticky({ routers: [] }))).toEqual([]);
    expect(runRule(noSticky, unsticky({ routers: [{ ...aService().routers[0]!, service: 'api@internal' }] }))).toEqual([]);
  });

  it('defers to the rules that explain why intended stickiness is missing', () => {
    expect(runRule(noSticky, unsticky({ labels: { 'traefik.backend.loadbalancer.stickiness': 'true' } }))).toEqual([]);
    expect(runRule(noSticky, unsticky({ labels: { 'traefik.http.services.web.loadbalancer.sticky': 'true' } }))).toEqual([]);
    expect(runRule(noSticky, aService({ sticky: null }))).toEqual([]);
  });
});
