import { describe, expect, it } from 'vitest';
import { evaluateTopology } from '@/lib/affinity/evaluate';
import { aService, aTopology } from '@/lib/affinity/test-model';
import type { LabService } from './lab';
import { labScenarios } from './scenarios';
import { labelConfigOf } from './test/labels';
import { labFailureTopology, mergeLabTopology, toLabTopology, type LabSnapshot } from './topology';

const now = new Date('2026-01-01T12:00:00Z');

/** The lab as data: each scenario with its labels read and three replicas on made-up loopback ports. */
function labSnapshot(): LabSnapshot {
  const services = labScenarios.map((scenario, i): LabService => ({
    scenario,
    labels: scenario.labels,
    labelConfig: labelConfigOf(scenario.name, scenario.labels),
    edited: false,
    replicas: [1, 2, 3].map((slot) => ({ slot, hostname: `${scenario.name}-${slot}`, server: { url: `http://127.0.0.1:${41000 + i * 10 + slot}`, weight: 1, alive: true } })),
    vipUrl: null,
  }));
  return { address: '127.0.0.1', port: 40999, services };
}

describe('the lab as a topology source', () => {
  it('marks every lab service as lab, with its scenario', () => {
    const topology = toLabTopology(labSnapshot(), 3, now);
    expect(topology.sources.lab).toEqual({ status: 'ok', ms: 3, message: 'embedded demo lab', balancer: { address: '127.0.0.1', port: 40999 } });
    expect(topology.services.map((s) => s.lab?.scenario)).toEqual(labScenarios.map((s) => s.name));
    expect(topology.services.every((s) => s.stack === 'lab' && s.id.startsWith('lab-'))).toBe(true);
  });

  it('a disabled lab service has no routers, servers or sticky cookie, as Traefik would skip it', () => {
    const snapshot = labSnapshot();
    const first = snapshot.services[0]!;
    const labels = { ...first.labels, 'traefik.enable': 'false' };
    const disabled = { ...snapshot, services: [{ ...first, labels, labelConfig: labelConfigOf(first.scenario.name, labels), edited: true }] };
    const [service] = toLabTopology(disabled, 0, now).services;
    expect(service).toMatchObject({ routers: [], servers: [], sticky: null, traefikServices: [], lab: { edited: true } });
  });

  it('a lab that did not start is an error source, not a thrown error', () => {
    const topology = labFailureTopology(new Error('EADDRNOTAVAIL'), 7, now);
    expect(topology.sources.lab).toMatchObject({ status: 'error', ms: 7 });
    expect(topology.sources.lab?.message).toMatch(/did not start: EADDRNOTAVAIL/);
    expect(topology.services).toEqual([]);
  });
});

describe('mergeLabTopology', () => {
  const cluster = aTopology([aService()], {
    generatedAt: now.toISOString(),
    nodes: [{ id: 'n1', hostname: 'manager-1', role: 'manager', availability: 'active', state: 'ready', address: '192.0.2.10', leader: true, engineVersion: '27.0.0' }],
  });

  it('keeps the cluster’s sources, nodes and services, and adds the lab source and services beside them', () => {
    const merged = mergeLabTopology(cluster, toLabTopology(labSnapshot(), 2, now));
    expect(merged.sources.docker).toEqual(cluster.sources.docker);
    expect(merged.sources.traefik).toEqual(cluster.sources.traefik);
    expect(merged.sources.lab?.status).toBe('ok');
    expect(merged.nodes).toEqual(cluster.nodes);
    expect(merged.services[0]).toEqual(cluster.services[0]);
    expect(merged.services[0]?.lab).toBeUndefined();
    expect(merged.services.slice(1).map((s) => s.lab?.scenario)).toEqual(labScenarios.map((s) => s.name));
    expect(new Set(merged.services.map((s) => s.id)).size).toBe(merged.services.length);
  });

  it('findings cover both: the cluster service is clean, the lab scenarios keep theirs', () => {
    const findings = evaluateTopology(mergeLabTopology(cluster, toLabTopology(labSnapshot(), 2, now)));
    const errors = (service: string) => findings.filter((f) => f.service === service && f.severity === 'error').map((f) => f.rule);
    expect(errors('shop_web')).toEqual([]);
    expect(errors('secure-cookie-over-http')).toContain('secure-cookie-over-http');
    expect(errors('no-sticky')).toContain('no-sticky');
  });

  it('a failing lab leaves the cluster whole and says why beside it', () => {
    const merged = mergeLabTopology(cluster, labFailureTopology(new Error('no loopback'), 1, now));
    expect(merged.services).toEqual(cluster.services);
    expect(merged.sources.docker.status).toBe('ok');
    expect(merged.sources.lab?.status).toBe('error');
  });
});
