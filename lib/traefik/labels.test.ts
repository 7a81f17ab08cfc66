import { describe, expect, it } from 'vitest';
import { normalizeName, parseServiceLabels, readServiceLabels } from './labels';

describe('parseServiceLabels', () => {
  it('reads routers, services, sticky cookie (v2 and v3 keys) and ports, case-insensitively', () => {
    const config = parseServiceLabels('shop_web', {
      'traefik.enable': 'true',
      'traefik.http.routers.web.rule': 'Host(`shop.example`) && PathPrefix(`/app`)',
      'traefik.http.routers.web.entrypoints': 'web, websecure',
      'traefik.http.routers.web.tls.certresolver': 'le',
      'traefik.http.services.web.loadbalancer.server.port': '8080',
      'traefik.http.services.web.loadBalancer.sticky.cookie.name': 'SHOP',
      'traefik.http.services.web.loadbalancer.sticky.cookie.secure': 'true',
      'Traefik.HTTP.Services.web.LoadBalancer.Sticky.Cookie.HttpOnly': 'TRUE',
      'traefik.http.services.web.loadbalancer.sticky.cookie.samesite': 'Lax',
      'traefik.http.services.web.loadbalancer.sticky.cookie.maxage': '600',
      'traefik.http.services.web.loadbalancer.sticky.cookie.path': '/app',
      'traefik.http.services.web.loadbalancer.sticky.cookie.domain': 'shop.example',
      'traefik.http.services.web.loadbalancer.healthcheck.path': '/health',
      'traefik.swarm.network': 'traefik-public',
    });
    expect(config.enabled).toBe(true);
    expect(config.network).toBe('traefik-public');
    expect(config.serverPorts).toEqual({ web: 8080 });
    expect(config.routers).toEqual([
      {
        name: 'web@labels',
        provider: 'labels',
        rule: 'Host(`shop.example`) && PathPrefix(`/app`)',
        hosts: ['shop.example'],
        pathPrefixes: ['/app'],
        entryPoints: ['web', 'websecure'],
        tls: true,
        service: 'web@labels',
        priority: null,
        status: null,
      },
    ]);
    expect(config.services).toEqual([
      expect.objectContaining({
        name: 'web@labels',
        kind: 'loadbalancer',
        sticky: { name: 'SHOP', secure: true, httpOnly: true, sameSite: 'Lax', maxAge: 600, path: '/app', domain: 'shop.example' },
        hasHealthCheck: true,
        usedBy: ['web@labels'],
      }),
    ]);
    expect(config.problems).toEqual([]);
  });

  it('defaults cookie flags to false and the name to null (Traefik generates it)', () => {
    const config = parseServiceLabels('api', { 'traefik.http.services.api.loadbalancer.sticky.cookie': 'true' });
    expect(config.services[0]?.sticky).toEqual({ name: null, secure: false, httpOnly: false, sameSite: null, maxAge: null, path: null, domain: null });
  });

  it('creates the default service and router named after the normalised Swarm service', () => {
    const config = parseServiceLabels('my_stack_web.v2', { 'traefik.enable': 'true' });
    expect(config.services.map((s) => s.name)).toEqual(['my-stack-web-v2@labels']);
    expect(config.routers).toEqual([
      expect.objectContaining({ name: 'my-stack-web-v2@labels', rule: 'Host(`my-stack-web-v2`)', hosts: ['my-stack-web-v2'], service: 'my-stack-web-v2@labels' }),
    ]);
  });

  it('creates a default router for a single labelled service, but none without a default rule', () => {
    const labels = { 'traefik.http.services.app.loadbalancer.server.port': '80' };
    expect(parseServiceLabels('stack_app', labels).routers[0]).toMatchObject({ name: 'stack-app@labels', service: 'app@labels' });
    const noDefault = parseServiceLabels('stack_app', labels, { defaultRule: null });
    expect(noDefault.routers).toEqual([]);
    expect(noDefault.problems[0]?.reason).toMatch(/drops this router/);
    const custom = parseServiceLabels('stack_app', labels, { defaultRule: 'Host(`{{ .Name }}.example.com`)' });
    expect(custom.routers[0]?.hosts).toEqual(['stack-app.example.com']);
  });

  it('binds a router without service to the only service and drops it when there are several', () => {
    const one = parseServiceLabels('s', { 'traefik.http.routers.r.rule': 'Host(`a`)', 'traefik.http.services.x.loadbalancer.server.port': '80' });
    expect(one.routers[0]?.service).toBe('x@labels');
    const two = parseServiceLabels('s', {
      'traefik.http.routers.r.rule': 'Host(`a`)',
      'traefik.http.services.x.loadbalancer.server.port': '80',
      'traefik.http.services.y.loadbalancer.server.port': '81',
    });
    expect(two.routers).toEqual([]);
    expect(two.problems.map((p) => p.reason)).toContain('No service label and 2 services: Traefik drops this router.');
  });

  it('creates no router for several services without router labels', () => {
    const config = parseServiceLabels('s', {
      'traefik.http.services.x.loadbalancer.server.port': '80',
      'traefik.http.services.y.loadbalancer.server.port': '81',
    });
    expect(config.routers).toEqual([]);
    expect(config.problems[0]?.reason).toMatch(/creates no router/);
  });

  it('reports sticky=true without a cookie key', () => {
    const config = parseServiceLabels('s', { 'traefik.http.services.web.loadbalancer.sticky': 'true' });
    expect(config.stickyWithoutCookie).toEqual(['web']);
    expect(config.services[0]?.sticky).toBeNull();
  });

  it('collects Traefik v1 labels verbatim', () => {
    const config = parseServiceLabels('s', {
      'traefik.backend.loadbalancer.sticky': 'true',
      'traefik.backend.loadbalancer.stickiness': 'true',
      'traefik.backend.loadbalancer.stickiness.cookieName': 'v1cookie',
      'traefik.frontend.rule': 'Host:old.example',
      'traefik.port': '80',
      'traefik.admin.frontend.rule': 'Host:admin.example',
      'traefik.http.routers.r.rule': 'Host(`new.example`)',
    });
    expect(config.v1Labels.map((l) => l.key)).toEqual([
      'traefik.admin.frontend.rule',
      'traefik.backend.loadbalancer.stickiness',
      'traefik.backend.loadbalancer.stickiness.cookieName',
      'traefik.backend.loadbalancer.sticky',
      'traefik.frontend.rule',
      'traefik.port',
    ]);
    expect(config.routers.map((r) => r.name)).toEqual(['r@labels']);
  });

  it('reports malformed values with a reason instead of throwing, and marks fatal ones', () => {
    const { config, rejected } = readServiceLabels('s', {
      'traefik.http.services.web.loadbalancer.sticky.cookie.secure': 'yes',
      'traefik.http.services.web.loadbalancer.server.port': 'http',
      'traefik.http.services.web.loadbalancer.sticky.cookie.samesite': 'sometimes',
    });
    expect(config.problems).toEqual([
      { key: 'traefik.http.services.web.loadbalancer.server.port', value: 'http', reason: expect.stringMatching(/Not a port number/) },
      { key: 'traefik.http.services.web.loadbalancer.sticky.cookie.samesite', value: 'sometimes', reason: expect.stringMatching(/SameSite/) },
      { key: 'traefik.http.services.web.loadbalancer.sticky.cookie.secure', value: 'yes', reason: expect.stringMatching(/Not a boolean.*skips it/) },
    ]);
    expect(rejected).toBe(true);
    expect(config.serverPorts).toEqual({});
  });

  it('flags unknown router and load balancer settings', () => {
    const { config, rejected } = readServiceLabels('s', { 'traefik.http.routers.r.rulez': 'Host(`a`)' });
    expect(config.problems[0]).toMatchObject({ key: 'traefik.http.routers.r.rulez', reason: expect.stringMatching(/not a router setting/) });
    expect(rejected).toBe(true);
  });

  it('reads traefik.enable=false, docker.* labels, lbswarm, and both-prefix conflicts', () => {
    expect(parseServiceLabels('s', { 'traefik.enable': 'false' }).enabled).toBe(false);
    const docker = parseServiceLabels('s', { 'traefik.docker.network': 'net', 'traefik.docker.lbswarm': 'true' });
    expect([docker.network, docker.lbswarm]).toEqual(['net', true]);
    const both = parseServiceLabels('s', { 'traefik.docker.network': 'a', 'traefik.swarm.network': 'b' });
    expect(both.network).toBe('b');
    expect(both.problems[0]?.reason).toMatch(/Both prefixes/);
  });

  it('skips HTTP for a TCP-only service and never throws on junk', () => {
    const tcp = parseServiceLabels('s', { 'traefik.tcp.routers.db.rule': 'HostSNI(`*`)' });
    expect([tcp.routers, tcp.services]).toEqual([[], []]);
    expect(() => parseServiceLabels('', { traefik: '', 'traefik.': 'x', 'traefik.http.routers..rule': '' })).not.toThrow();
  });

  it('normalises like Traefik', () => {
    expect(normalizeName('my_stack_web')).toBe('my-stack-web');
    expect(normalizeName('--a..b__')).toBe('a-b');
    expect(normalizeName('café_1')).toBe('café-1');
  });
});
