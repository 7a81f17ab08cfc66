import { describe, expect, it } from 'vitest';
import {
  mapEntryPoint,
  mapEntryPoints,
  mapOverview,
  mapRawData,
  mapRouter,
  mapRouters,
  mapService,
  mapServices,
  mapVersion,
  qualifyName,
  type Mapped,
} from './map';
import { swarmStickyServices } from './testdata/swarm-services';
import { haveTraefikFixtures, readTraefikFixture } from '@/lib/test/traefik-fixtures';

function value<T>(mapped: Mapped<T>): T {
  if (!mapped.ok) throw new Error(mapped.reason);
  return mapped.value;
}

describe('map (own fixtures)', () => {
  it('maps a Swarm sticky servers load balancer with serverStatus merged', () => {
    const [web, api, hrw] = value(mapServices(swarmStickyServices));
    expect(web).toEqual({
      name: 'web@swarm',
      provider: 'swarm',
      kind: 'loadbalancer',
      servers: [
        { url: 'http://10.0.1.5:80', status: 'UP', weight: null },
        { url: 'http://10.0.1.6:80', status: 'DOWN', weight: null },
        { url: 'http://10.0.1.7:80', status: 'UP', weight: null },
      ],
      sticky: { name: 'web_sticky', secure: true, httpOnly: true, sameSite: 'lax', maxAge: 3600, path: '/', domain: 'app.example' },
      hasHealthCheck: true,
      children: [],
      usedBy: ['web@swarm'],
      status: 'enabled',
      strategy: 'wrr',
    });
    expect(api?.sticky).toEqual({ name: null, secure: false, httpOnly: false, sameSite: null, maxAge: null, path: null, domain: null });
    expect(api?.hasHealthCheck).toBe(false);
    expect(hrw).toMatchObject({
      kind: 'unknown',
      strategy: 'hrw',
      sticky: null,
      children: [
        { name: 'web@swarm', weight: 2 },
        { name: 'api@swarm', weight: 1 },
      ],
    });
  });

  it('qualifies names with the owner provider only when unqualified', () => {
    expect(qualifyName('web', 'swarm')).toBe('web@swarm');
    expect(qualifyName('web@file', 'swarm')).toBe('web@file');
    expect(qualifyName('web', null)).toBe('web');
  });

  it('takes servers from serverStatus when the servers list is missing, and tolerates odd statuses', () => {
    const [service] = value(mapServices([{ name: 's@docker', loadBalancer: {}, serverStatus: { 'http://a:1': 'UP', 'http://b:1': 'WARNING' } }]));
    expect(service?.servers).toEqual([
      { url: 'http://a:1', status: 'UP', weight: null },
      { url: 'http://b:1', status: null, weight: null },
    ]);
  });

  it('reads v3 priorityStr and v2 priority', () => {
    expect(value(mapRouter({ name: 'a@x', priorityStr: '42', rule: '' })).priority).toBe(42);
    expect(value(mapRouter({ name: 'a@x', priority: 7, rule: '' })).priority).toBe(7);
    expect(value(mapRouter({ name: 'a@x' })).priority).toBeNull();
  });

  it('fails only on what cannot be used', () => {
    expect(mapRouters({})).toEqual({ ok: false, reason: 'expected a list of router, got an object' });
    expect(mapServices(null)).toEqual({ ok: false, reason: 'expected a list of service, got null' });
    expect(mapService('x')).toEqual({ ok: false, reason: 'expected a service object, got a string' });
    expect(mapRouter({ rule: 'Host(`a`)' })).toEqual({ ok: false, reason: 'the router has no name' });
    const odd = mapServices([{ name: 'x@y', type: 42, loadBalancer: { servers: 'nope', sticky: { cookie: 'yes' } } }]);
    expect(value(odd)[0]).toMatchObject({ kind: 'loadbalancer', servers: [], sticky: null });
  });
});

describe.runIf(haveTraefikFixtures)('map (real Traefik API payloads)', () => {
  it('routers.json (v3): names, rules, hosts, priorityStr', () => {
    const routers = value(mapRouters(readTraefikFixture('routers.json')));
    expect(routers).toEqual([
      {
        name: 'bar@myprovider',
        provider: 'myprovider',
        rule: 'Host(`foo.bar`)',
        hosts: ['foo.bar'],
        pathPrefixes: [],
        entryPoints: ['web'],
        tls: false,
        service: 'foo-service@myprovider',
        priority: 0,
        status: 'enabled',
      },
      expect.objectContaining({ name: 'test@myprovider', hosts: ['foo.bar.other'], service: 'foo-service@myprovider' }),
    ]);
  });

  it('v2.11.53_routers.json: same routers without priorityStr', () => {
    const routers = value(mapRouters(readTraefikFixture('v2.11.53_routers.json')));
    expect(routers.map((r) => [r.name, r.hosts, r.priority])).toEqual([
      ['bar@myprovider', ['foo.bar'], null],
      ['test@myprovider', ['foo.bar.other'], null],
    ]);
  });

  it('router-bar.json', () => {
    expect(value(mapRouter(readTraefikFixture('router-bar.json')))).toMatchObject({
      name: 'bar@myprovider',
      entryPoints: ['web'],
      service: 'foo-service@myprovider',
      status: 'enabled',
    });
  });

  it('services.json: load balancers with serverStatus, weighted sticky cookie chocolat, mirroring children', () => {
    const services = value(mapServices(readTraefikFixture('services.json')));
    expect(services.map((s) => [s.name, s.kind])).toEqual([
      ['bar@myprovider', 'loadbalancer'],
      ['baz@myprovider', 'loadbalancer'],
      ['canary@myprovider', 'weighted'],
      ['mirror@myprovider', 'mirroring'],
    ]);
    const [bar, baz, canary, mirror] = services;
    expect(bar?.servers).toEqual([{ url: 'http://127.0.0.1', status: 'UP', weight: null }]);
    expect(bar?.usedBy).toEqual(['foo@myprovider', 'test@myprovider']);
    expect(baz?.servers[0]?.url).toBe('http://127.0.0.2');
    expect(canary?.sticky).toEqual({ name: 'chocolat', secure: true, httpOnly: true, sameSite: null, maxAge: null, path: null, domain: null });
    expect(canary?.servers).toEqual([]);
    expect(mirror?.children).toEqual([
      { name: 'one@myprovider', weight: null },
      { name: 'two@myprovider', weight: null },
      { name: 'three@myprovider', weight: null },
      { name: 'four@myprovider', weight: null },
    ]);
  });

  it('service-bar.json and services-filtered-status.json', () => {
    expect(value(mapService(readTraefikFixture('service-bar.json')))).toMatchObject({
      name: 'bar@myprovider',
      servers: [{ url: 'http://127.0.0.1', status: 'UP' }],
      status: 'enabled',
    });
    const filtered = value(mapServices(readTraefikFixture('services-filtered-status.json')));
    expect(filtered.map((s) => s.name)).toEqual(['bar@myprovider']);
  });

  it('entrypoints.json and entrypoint-bar.json', () => {
    expect(value(mapEntryPoints(readTraefikFixture('entrypoints.json')))).toEqual([
      { name: 'web', address: ':80' },
      { name: 'websecure', address: ':443' },
    ]);
    expect(value(mapEntryPoint(readTraefikFixture('entrypoint-bar.json')))).toEqual({ name: 'bar', address: ':81' });
  });

  it('overview-*.json: providers where listed, none otherwise', () => {
    expect(value(mapOverview(readTraefikFixture('overview-providers.json'))).providers).toEqual([
      'Docker',
      'Swarm',
      'File',
      'KubernetesIngress',
      'KubernetesCRD',
      'Rest',
      'plugin-test',
    ]);
    expect(value(mapOverview(readTraefikFixture('v2.11.53_overview-providers.json'))).providers).toContain('Marathon');
    expect(value(mapOverview(readTraefikFixture('v2.11.53_overview-providers.json'))).providers).not.toContain('Swarm');
    expect(value(mapOverview(readTraefikFixture('overview-dynamic.json'))).providers).toEqual([]);
    expect(value(mapOverview(readTraefikFixture('overview-features.json'))).providers).toEqual([]);
  });

  it('api-version.json', () => {
    expect(value(mapVersion(readTraefikFixture('api-version.json')))).toBe('3.6.0');
  });

  it('getrawdata.json: unqualified nothing, qualified services', () => {
    const raw = value(mapRawData(readTraefikFixture('getrawdata.json')));
    expect(raw.routers.map((r) => [r.name, r.provider, r.service])).toEqual([
      ['bar@myprovider', 'myprovider', 'foo-service@myprovider'],
      ['test@myprovider', 'myprovider', 'foo-service@myprovider'],
    ]);
    expect(raw.services).toEqual([
      expect.objectContaining({ name: 'foo-service@myprovider', servers: [{ url: 'http://127.0.0.1', status: null, weight: null }] }),
    ]);
  });

  it('rawdata-consul.json: unqualified router services get the router provider; weighted and mirroring children', () => {
    const raw = value(mapRawData(readTraefikFixture('rawdata-consul.json')));
    const router0 = raw.routers.find((r) => r.name === 'Router0@consul');
    expect(router0).toMatchObject({ service: 'simplesvc@consul', tls: true, priority: 42, hosts: ['kv1.localhost'] });
    expect(raw.routers.find((r) => r.name === 'api@internal')?.pathPrefixes).toEqual(['/api']);
    const simple = raw.services.find((s) => s.name === 'simplesvc@consul');
    expect(simple?.servers).toEqual([
      { url: 'http://10.0.1.1:8888', status: 'UP', weight: null },
      { url: 'http://10.0.1.1:8889', status: 'UP', weight: null },
    ]);
    expect(simple?.strategy).toBe('wrr');
    expect(raw.services.find((s) => s.name === 'Service03@consul')?.children).toEqual([
      { name: 'srvcA@consul', weight: 42 },
      { name: 'srvcB@consul', weight: 42 },
    ]);
    expect(raw.services.find((s) => s.name === 'mirror@consul')?.children[0]).toEqual({ name: 'simplesvc@consul', weight: null });
    expect(raw.services.find((s) => s.name === 'noop@internal')?.kind).toBe('unknown');
  });

  it('rawdata-crd.json (v3) and v2.11.53_rawdata-crd.json (v2): paths, hrw, tls options', () => {
    const v3 = value(mapRawData(readTraefikFixture('rawdata-crd.json')));
    const route = v3.routers.find((r) => r.name === 'default-test-route-6b204d94623b3df4370c@kubernetescrd');
    expect(route).toMatchObject({ hosts: ['foo.com'], pathPrefixes: ['/bar'], tls: true });
    expect(v3.services.find((s) => s.name === 'default-hrw1@kubernetescrd')).toMatchObject({ kind: 'unknown', strategy: 'hrw' });
    expect(v3.services.find((s) => s.name === 'default-whoami-80@kubernetescrd')?.servers.map((s) => s.status)).toEqual(['UP', 'UP']);

    const v2 = value(mapRawData(readTraefikFixture('v2.11.53_rawdata-crd.json')));
    const whoami = v2.services.find((s) => s.name === 'default-whoami-80@kubernetescrd');
    expect(whoami?.servers.map((s) => s.url)).toEqual(['http://10.42.0.4:80', 'http://10.42.0.6:80']);
    expect(whoami?.strategy).toBeNull();
  });

  it('rawdata-ingress.json: double-quoted rule strings', () => {
    const raw = value(mapRawData(readTraefikFixture('rawdata-ingress.json')));
    expect(raw.routers.find((r) => r.name === 'default-test-ingress-whoami-test-whoami@kubernetes')).toMatchObject({
      hosts: ['whoami.test'],
      pathPrefixes: ['/whoami'],
      service: 'default-whoami-http@kubernetes',
    });
  });

  it('anonymized-dynamic-config.json: the sticky cookie shapes map through the same cookie reader', () => {
    const config = readTraefikFixture('anonymized-dynamic-config.json') as { http: { services: Record<string, unknown> } };
    const raw = value(mapRawData({ services: config.http.services }));
    const foo = raw.services.find((s) => s.name === 'foo');
    expect(foo?.sticky).toEqual({ name: 'foo', secure: true, httpOnly: true, sameSite: 'foo', maxAge: null, path: null, domain: null });
    expect(foo?.hasHealthCheck).toBe(true);
    expect(raw.services.find((s) => s.name === 'bar')?.sticky?.name).toBe('foo');
  });
});
