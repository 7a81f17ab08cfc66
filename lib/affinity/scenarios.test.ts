// The acceptance scenarios, run through the real label reader and correlation rather than hand-built models,
// so a change in how the model is filled shows up here first.
import { describe, expect, it } from 'vitest';
import type { SwarmService, SwarmSnapshot, SwarmTask } from '@/lib/swarm/types';
import { correlate } from '@/lib/topology/correlate';
import { deriveTraefikFromSwarm } from '@/lib/traefik/labels';
import { evaluateTopology } from './evaluate';
import { aTopology } from './test-model';

const networks = [
  { id: 'n-default', name: 'shop_default', driver: 'overlay', scope: 'swarm', ingress: false },
  { id: 'n-backend', name: 'shop_backend', driver: 'overlay', scope: 'swarm', ingress: false },
  { id: 'n-ingress', name: 'ingress', driver: 'overlay', scope: 'swarm', ingress: true },
];

const sticky = (svc: string): Record<string, string> => ({
  'traefik.enable': 'true',
  'traefik.swarm.network': 'shop_default',
  [`traefik.http.routers.${svc}.rule`]: `Host(\`${svc}.example.com\`)`,
  [`traefik.http.routers.${svc}.entrypoints`]: 'websecure',
  [`traefik.http.routers.${svc}.tls`]: 'true',
  [`traefik.http.services.${svc}.loadbalancer.server.port`]: '8080',
  [`traefik.http.services.${svc}.loadbalancer.sticky.cookie.name`]: `${svc}_affinity`,
  [`traefik.http.services.${svc}.loadbalancer.sticky.cookie.secure`]: 'true',
  [`traefik.http.services.${svc}.loadbalancer.sticky.cookie.httponly`]: 'true',
  [`traefik.http.services.${svc}.loadbalancer.sticky.cookie.maxage`]: '3600',
  [`traefik.http.services.${svc}.loadbalancer.healthcheck.path`]: '/health',
});

const without = (labels: Record<string, string>, part: string) =>
  Object.fromEntries(Object.entries(labels).filter(([k]) => !k.includes(part)));

type Spec = { labels: Record<string, string>; nets?: string[]; ports?: SwarmService['ports'] };

const specs: Record<string, Spec> = {
  good: { labels: sticky('good') },
  nosticky: { labels: without(sticky('nosticky'), '.sticky') },
  securehttp: { labels: { ...sticky('securehttp'), 'traefik.http.routers.securehttp.entrypoints': 'web', 'traefik.http.routers.securehttp.tls': 'false' } },
  lbswarm: { labels: { ...sticky('lbswarm'), 'traefik.swarm.lbswarm': 'true' } },
  v1: { labels: { ...without(sticky('v1'), '.sticky'), 'traefik.backend.loadbalancer.stickiness': 'true' } },
  split: {
    labels: {
      ...sticky('split'),
      'traefik.http.routers.split-ws.rule': 'Host(`split.example.com`) && PathPrefix(`/socket.io`)',
      'traefik.http.routers.split-ws.entrypoints': 'websecure',
      'traefik.http.routers.split-ws.tls': 'true',
      'traefik.http.routers.split-ws.service': 'split-ws',
      'traefik.http.routers.split.service': 'split',
      'traefik.http.services.split-ws.loadbalancer.server.port': '8080',
      'traefik.http.services.split-ws.loadbalancer.healthcheck.path': '/health',
    },
  },
  mesh: { labels: sticky('mesh'), nets: ['n-default', 'n-ingress'], ports: [{ protocol: 'tcp', targetPort: 8080, publishedPort: 8081, publishMode: 'ingress' }] },
  ambiguous: { labels: without(sticky('ambiguous'), 'traefik.swarm.network'), nets: ['n-default', 'n-backend'] },
};

function snapshot(): SwarmSnapshot {
  const services: SwarmService[] = [];
  const tasks: SwarmTask[] = [];
  Object.entries(specs).forEach(([name, spec], i) => {
    const nets = spec.nets ?? ['n-default'];
    services.push({
      id: `s-${name}`,
      name: `shop_${name}`,
      stack: 'shop',
      mode: 'replicated',
      desiredReplicas: 2,
      endpointMode: 'vip',
      ports: spec.ports ?? [],
      networks: nets.map((id) => ({ id, name: networks.find((n) => n.id === id)?.name ?? null })),
      virtualIps: nets.map((id, k) => ({ networkId: id, address: `10.${k}.${i}.2` })),
      labels: spec.labels,
      hasHealthCheck: false,
      updateStatus: null,
      createdAt: null,
      updatedAt: null,
    });
    for (const slot of [1, 2]) {
      tasks.push({
        id: `t-${name}-${slot}`,
        serviceId: `s-${name}`,
        slot,
        nodeId: 'node1',
        state: 'running',
        desiredState: 'running',
        containerId: `c-${name}-${slot}`,
        hostname: null,
        addresses: nets.map((id, k) => ({ networkId: id, networkName: networks.find((n) => n.id === id)?.name ?? null, ip: `10.${k}.${i}.${10 + slot}` })),
        error: null,
        message: null,
        updatedAt: null,
      });
    }
  });
  return { engine: { version: '20.10.24', apiVersion: '1.41' }, nodes: [], services, tasks, networks };
}

describe('acceptance scenarios through the real label reader', () => {
  const swarm = snapshot();
  const derived = deriveTraefikFromSwarm(swarm);
  const { services } = correlate({ swarm, traefik: derived, fromLabels: derived, provider: 'swarm' });
  const topology = aTopology(services, {
    sources: { docker: { status: 'ok', ms: 1 }, traefik: { status: 'off', ms: 0, origin: 'labels' } },
  });
  const findings = evaluateTopology(topology).filter((f) => f.severity !== 'info');
  const rulesOn = (name: string) => findings.filter((f) => f.service === `shop_${name}`).map((f) => f.rule);

  it.each([
    ['good', []],
    ['nosticky', ['no-sticky']],
    ['securehttp', ['secure-cookie-over-http']],
    ['lbswarm', ['lbswarm-defeats-sticky']],
    ['v1', ['v1-labels-ignored']],
    ['split', ['split-routers']],
    ['mesh', ['mesh-bypass']],
    ['ambiguous', ['ambiguous-network']],
  ])('%s: exactly %j at warning level or above', (name, expected) => {
    expect(rulesOn(name)).toEqual(expected);
  });

  it('lists the split service’s tasks once per Traefik service, each server saying which', () => {
    const split = services.find((s) => s.name === 'shop_split');
    expect(split?.servers.map((s) => `${s.traefikService} ${s.taskId}`).sort()).toEqual([
      'split-ws@swarm t-split-1',
      'split-ws@swarm t-split-2',
      'split@swarm t-split-1',
      'split@swarm t-split-2',
    ]);
  });
});

describe('a rolling update seen through the real label reader', () => {
  // start-first update: slot 1's new task runs while the old one drains (desired shutdown, still running).
  const swarm = snapshot();
  const draining = swarm.tasks.find((t) => t.id === 't-good-1');
  swarm.tasks.push({ ...draining!, id: 't-good-1-old', desiredState: 'shutdown', containerId: 'c-good-1-old', addresses: draining!.addresses.map((a) => ({ ...a, ip: a.ip.replace(/\.11$/, '.99') })) });
  const derived = deriveTraefikFromSwarm(swarm);
  const { services } = correlate({ swarm, traefik: derived, fromLabels: derived, provider: 'swarm' });
  const good = services.find((s) => s.name === 'shop_good');

  it('counts only the tasks Traefik routes as running replicas and does not call the draining one unrouted', () => {
    expect(good?.replicas).toEqual({ desired: 2, running: 2 });
    expect(good?.tasks.map((t) => t.id)).toContain('t-good-1-old');
    expect(good?.unroutedTaskIds).toEqual([]);
  });

  it('raises nothing on the well-configured service', () => {
    const topology = aTopology(services, {
      sources: { docker: { status: 'ok', ms: 1 }, traefik: { status: 'off', ms: 0, origin: 'labels' } },
    });
    expect(evaluateTopology(topology).filter((f) => f.service === 'shop_good' && f.severity !== 'info')).toEqual([]);
  });
});
