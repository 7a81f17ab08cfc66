import { describe, expect, it } from 'vitest';
import type { TraefikService } from '@/lib/traefik/types';
import { aLabelConfig, aRouter, aService, aSticky, runRule } from '../test-model';
import { splitRouters } from './split-routers';

const traefikService = (name: string, sticky: boolean): TraefikService => ({
  name: `${name}@labels`,
  provider: 'labels',
  kind: 'loadbalancer',
  servers: [],
  sticky: sticky ? aSticky() : null,
  hasHealthCheck: false,
  children: [],
  usedBy: [],
  status: null,
});

function socketIoService(wsSticky: boolean, ports = { web: 8080, ws: 8080 }) {
  return aService({
    routers: [
      aRouter({ name: 'web@swarm', service: 'web@swarm' }),
      aRouter({ name: 'ws@swarm', service: 'ws@swarm', rule: 'Host(`shop.example.com`) && PathPrefix(`/socket.io`)', pathPrefixes: ['/socket.io'] }),
    ],
    traefikServices: ['web@swarm', 'ws@swarm'],
    labelConfig: aLabelConfig({ services: [traefikService('web', true), traefikService('ws', wsSticky)], serverPorts: ports }),
  });
}

describe('split-routers', () => {
  it('reports the /socket.io router whose service lacks the cookie, and points it at the sticky service', () => {
    const [finding, ...rest] = runRule(splitRouters, socketIoService(false));
    expect(rest).toEqual([]);
    expect(finding?.severity).toBe('error');
    expect(finding?.evidence).toContainEqual({ label: 'non-sticky router', value: expect.stringContaining('ws@swarm') });
    expect(finding?.fix?.labelsToAdd).toEqual({ 'traefik.http.routers.ws.service': 'web' });
  });

  it('makes the other service sticky when the two listen on different ports', () => {
    const [finding] = runRule(splitRouters, socketIoService(false, { web: 8080, ws: 3001 }));
    expect(finding?.fix?.labelsToAdd).toEqual({ 'traefik.http.services.ws.loadbalancer.sticky.cookie': 'true' });
  });

  it('is silent when every router of the host is sticky, or routers go to one service', () => {
    expect(runRule(splitRouters, socketIoService(true))).toEqual([]);
    const oneService = aService({ routers: [aRouter(), aRouter({ name: 'ws@swarm', pathPrefixes: ['/socket.io'] })] });
    expect(runRule(splitRouters, oneService)).toEqual([]);
  });

  it('is silent when the non-sticky router serves another host', () => {
    const service = socketIoService(false);
    service.routers[1] = { ...service.routers[1]!, hosts: ['ws.example.com'] };
    expect(runRule(splitRouters, service)).toEqual([]);
  });
});
