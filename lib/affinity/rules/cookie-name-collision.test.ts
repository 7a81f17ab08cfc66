import { describe, expect, it } from 'vitest';
import { aRouter, aService, aSticky, runRule } from '../test-model';
import { cookieNameCollision } from './cookie-name-collision';

const other = (overrides = {}) =>
  aService({ id: 'svc-api', name: 'shop_api', routers: [aRouter({ name: 'api@swarm', service: 'api@swarm', pathPrefixes: ['/api'] })], ...overrides });

describe('cookie-name-collision', () => {
  it('reports two services with one cookie name on the same host', () => {
    const [finding] = runRule(cookieNameCollision, aService(), [other()]);
    expect(finding?.severity).toBe('warning');
    expect(finding?.evidence).toContainEqual({ label: 'same cookie name', value: expect.stringContaining('shop_api on shop.example.com') });
    expect(finding?.fix?.labelsToAdd).toEqual({ 'traefik.http.services.web.loadbalancer.sticky.cookie.name': 'sticky_shop_web' });
  });

  it('reports a cookie named like an application session cookie', () => {
    const [finding] = runRule(cookieNameCollision, aService({ sticky: aSticky({ name: 'JSESSIONID' }) }));
    expect(finding?.message).toMatch(/application session cookie/);
  });

  it('is silent for distinct names, other hosts, other cookie paths, and generated names', () => {
    expect(runRule(cookieNameCollision, aService(), [other({ sticky: aSticky({ name: 'api_affinity' }) })])).toEqual([]);
    expect(runRule(cookieNameCollision, aService(), [other({ routers: [aRouter({ hosts: ['api.example.com'] })] })])).toEqual([]);
    expect(runRule(cookieNameCollision, aService(), [other({ sticky: aSticky({ path: '/api' }) })])).toEqual([]);
    expect(runRule(cookieNameCollision, aService({ sticky: aSticky({ name: null }) }))).toEqual([]);
  });
});
