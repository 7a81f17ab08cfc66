import { describe, expect, it } from 'vitest';
import { aRouter, aService, aSticky, editLabels, goodLabels, runRule } from '../test-model';
import { sameSiteNoneWithoutSecure } from './samesite-none-without-secure';

const noneInsecure = aSticky({ sameSite: 'None', secure: false });
const labels = editLabels(goodLabels, { 'traefik.http.services.web.loadbalancer.sticky.cookie.sameSite': 'none' }, [
  'traefik.http.services.web.loadbalancer.sticky.cookie.secure',
]);

describe('samesite-none-without-secure', () => {
  it('reports SameSite=None without Secure and adds Secure when every router is TLS', () => {
    const [finding] = runRule(sameSiteNoneWithoutSecure, aService({ sticky: noneInsecure, labels }));
    expect(finding?.severity).toBe('error');
    expect(finding?.fix?.labelsToAdd).toEqual({ 'traefik.http.services.web.loadbalancer.sticky.cookie.secure': 'true' });
  });

  it('switches to Lax instead when a router is plain http', () => {
    const service = aService({
      sticky: noneInsecure,
      routers: [aRouter({ entryPoints: ['web'], tls: false })],
      labels,
    });
    expect(runRule(sameSiteNoneWithoutSecure, service)[0]?.fix?.labelsToAdd).toEqual({
      'traefik.http.services.web.loadbalancer.sticky.cookie.sameSite': 'lax',
    });
  });

  it('is silent for SameSite=None with Secure, or another SameSite', () => {
    expect(runRule(sameSiteNoneWithoutSecure, aService({ sticky: aSticky({ sameSite: 'none', secure: true }) }))).toEqual([]);
    expect(runRule(sameSiteNoneWithoutSecure, aService({ sticky: aSticky({ sameSite: 'lax', secure: false }) }))).toEqual([]);
  });
});
