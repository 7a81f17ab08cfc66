import { describe, expect, it } from 'vitest';
import { parseProbeSearchParams, probeHref } from './search-params';

describe('parseProbeSearchParams', () => {
  it('prefills target, overrides, numbers, modes and identity', () => {
    const { form, serviceId } = parseProbeSearchParams({
      target: 'http://shop.example/',
      resolve: ['shop.example:80:127.0.0.1', 'a:1:127.0.0.2,b:2:127.0.0.3'],
      requests: '500',
      interval: '0',
      concurrency: 'x',
      cookies: 'none',
      mode: 'direct',
      stop: '1',
      identity: 'header:X-Pod',
      service: 'abc123',
    });
    expect(form).toMatchObject({
      target: 'http://shop.example/',
      resolve: 'shop.example:80:127.0.0.1\na:1:127.0.0.2\nb:2:127.0.0.3',
      requests: '500',
      intervalMs: '0',
      concurrency: '1',
      cookies: 'none',
      mode: 'direct',
      stopAtFirstBreak: true,
      identityKind: 'header',
      identityValue: 'X-Pod',
    });
    expect(serviceId).toBe('abc123');
  });

  it('drops what does not fit and keeps defaults', () => {
    const { form, serviceId } = parseProbeSearchParams({ cookies: 'maybe', identity: 'weird:x', service: '../etc' });
    expect(form.cookies).toBe('browser');
    expect(form.identityKind).toBe('auto');
    expect(serviceId).toBeNull();
  });

  it('builds the Service page link', () => {
    expect(probeHref({ target: 'https://shop.example/', serviceId: 's1', balancerCookie: 'srv_id' })).toBe(
      '/probes?target=https%3A%2F%2Fshop.example%2F&service=s1&balancer=srv_id',
    );
  });

  it('carries address overrides that the Probe page reads back (lab services)', () => {
    const href = probeHref({ target: 'http://sticky-ok.lab.test:4100/', resolve: ['sticky-ok.lab.test:4100:127.0.0.1'] });
    const sp = Object.fromEntries(new URL(href, 'http://x').searchParams);
    expect(parseProbeSearchParams(sp).form.resolve).toBe('sticky-ok.lab.test:4100:127.0.0.1');
  });
});
