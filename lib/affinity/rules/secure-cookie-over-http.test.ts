import { describe, expect, it } from 'vitest';
import { aRouter, aService, aSticky, runRule } from '../test-model';
import { secureCookieOverHttp } from './secure-cookie-over-http';

const httpRouter = aRouter({ name: 'web-http@swarm', entryPoints: ['web'], tls: false });

describe('secure-cookie-over-http', () => {
  it('reports a Secure cookie when a router is plain http, citing the router and label', () => {
    const [finding] = runRule(secureCookieOverHttp, aService({ routers: [httpRouter] }));
    expect(finding?.severity).toBe('error');
    expect(finding?.evidence).toContainEqual({ label: 'plain-http router', value: expect.stringContaining('web-http@swarm') });
    expect(finding?.evidence).toContainEqual({ label: 'traefik.http.services.web.loadbalancer.sticky.cookie.secure', value: 'true' });
    expect(finding?.fix?.labelsToAdd).toEqual({ 'traefik.http.services.web.loadbalancer.sticky.cookie.secure': 'false' });
  });

  it('counts a router with no entrypoints as reachable over plain http', () => {
    expect(runRule(secureCookieOverHttp, aService({ routers: [aRouter({ entryPoints: [], tls: false })] }))).toHaveLength(1);
  });

  it('suggests HTTPS rather than dropping Secure when SameSite=None', () => {
    const [finding] = runRule(secureCookieOverHttp, aService({ routers: [httpRouter], sticky: aSticky({ sameSite: 'None' }) }));
    expect(finding?.fix?.labelsToAdd).toEqual({});
    expect(finding?.fix?.note).toMatch(/HTTPS/);
  });

  it('is silent when every router is TLS, on a TLS-named entrypoint, or redirected to https', () => {
    expect(runRule(secureCookieOverHttp, aService())).toEqual([]);
    expect(runRule(secureCookieOverHttp, aService({ routers: [aRouter({ tls: false, entryPoints: ['websecure'] })] }))).toEqual([]);
    const labels = {
      ...aService().labels,
      'traefik.http.routers.web-http.middlewares': 'to-https',
      'traefik.http.middlewares.to-https.redirectscheme.scheme': 'https',
    };
    expect(runRule(secureCookieOverHttp, aService({ labels, routers: [httpRouter] }))).toEqual([]);
  });

  it('is silent when the cookie is not Secure', () => {
    expect(runRule(secureCookieOverHttp, aService({ routers: [httpRouter], sticky: aSticky({ secure: false }) }))).toEqual([]);
  });
});
