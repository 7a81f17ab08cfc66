import http from 'node:http';
import path from 'node:path';

import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';

import type { DockerConnection } from '@/lib/config-types';
import { SourceError } from '@/lib/errors';
import { readSwarm } from '@/lib/swarm/read';
import type { SwarmSnapshot } from '@/lib/swarm/types';

import { DEFAULT_LAB_DIR, LAB_LABEL, LAB_OVERLAY, startPlainDockerd, type PlainDockerd } from '../../scripts/lab/swarm.mjs';

const connection = (host: string): DockerConnection => ({ host, tls: null, timeoutMs: 10_000 });

async function sourceError(promise: Promise<unknown>): Promise<SourceError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof SourceError) return error;
    throw error;
  }
  throw new Error('expected a SourceError, but the read succeeded');
}

function getText(url: string): Promise<string> {
  return new Promise((resolve, reject) => {
    http
      .get(url, { timeout: 3000 }, (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (body += chunk));
        res.on('end', () => resolve(body));
      })
      .on('error', reject);
  });
}

describe('readSwarm against the real Swarm lab', () => {
  const deployed = inject('labServices');
  let snapshot: SwarmSnapshot;

  beforeAll(async () => {
    snapshot = await readSwarm(connection(inject('dockerHost')));
  });

  it('reports the engine and its single manager node', () => {
    expect(snapshot.engine.apiVersion).toBe('1.41');
    expect(snapshot.engine.version).toMatch(/^20\.10\./);
    expect(snapshot.nodes).toHaveLength(1);
    expect(snapshot.nodes[0]).toMatchObject({ role: 'manager', leader: true, state: 'ready', availability: 'active', address: '127.0.0.1' });
    expect(snapshot.engine.nodeId).toBe(snapshot.nodes[0]?.id);
    expect(snapshot.warnings).toEqual([]);
    expect(Date.now() - Date.parse(snapshot.readAt ?? '')).toBeLessThan(60_000);
  });

  it('reports exactly the deployed services with replicas, endpoint mode and labels', () => {
    expect(snapshot.services.map((s) => s.name).sort()).toEqual(deployed.map((s) => s.name).sort());
    for (const def of deployed) {
      const service = snapshot.services.find((s) => s.name === def.name);
      expect(service, def.name).toMatchObject({
        mode: 'replicated',
        desiredReplicas: def.replicas,
        endpointMode: def.endpointMode,
        stack: null,
        hasHealthCheck: false,
        taskCounts: { running: def.replicas, desired: def.replicas },
        labels: { ...def.labels, [LAB_LABEL]: 'true' },
      });
      // The engine lists a service's networks in its own order, not the order they were attached in.
      expect(service?.networks.map((n) => n.name).sort()).toEqual([...def.networks].sort());
    }
  });

  it('reports ports and VIPs per endpoint mode and network', () => {
    const byName = (name: string) => snapshot.services.find((s) => s.name === name);
    const overlayId = snapshot.networks.find((n) => n.name === LAB_OVERLAY)?.id;
    const ingressId = snapshot.networks.find((n) => n.ingress)?.id;
    expect(overlayId).toBeTruthy();
    expect(byName('web-overlay')?.ports).toEqual([{ protocol: 'tcp', targetPort: 80, publishedPort: 18580, publishMode: 'ingress' }]);
    expect(byName('web-overlay')?.virtualIps.map((v) => v.networkId).sort()).toEqual([overlayId, ingressId].sort());
    for (const vip of byName('web-overlay')?.virtualIps ?? []) expect(vip.address).toMatch(/^\d+\.\d+\.\d+\.\d+$/);
    // dnsrr has no VIP; host networking has a VIP entry without address, which we drop.
    expect(byName('web-dnsrr')?.virtualIps).toEqual([]);
    expect(byName('web-sticky')?.virtualIps).toEqual([]);
    expect(byName('web-sticky')?.ports).toEqual([]);
  });

  it('reports running tasks in slots 1..n with hostnames app-<slot> and per-network IPs', () => {
    const nodeId = snapshot.nodes[0]?.id;
    for (const def of deployed) {
      const service = snapshot.services.find((s) => s.name === def.name);
      const running = snapshot.tasks.filter((t) => t.serviceId === service?.id && t.desiredState === 'running');
      expect(running.map((t) => t.slot), def.name).toEqual(Array.from({ length: def.replicas }, (_, i) => i + 1));
      for (const task of running) {
        expect(task, `${def.name}.${task.slot}`).toMatchObject({ state: 'running', nodeId, hostname: `app-${task.slot}`, error: null });
        expect(task.containerId).toMatch(/^[0-9a-f]{64}$/);
        if (def.network === 'host') {
          expect(task.addresses).toEqual([]);
        } else {
          const onOverlay = task.addresses.filter((a) => a.networkName === def.network);
          expect(onOverlay).toHaveLength(1);
          expect(onOverlay[0]?.ip).toMatch(/^\d+\.\d+\.\d+\.\d+$/);
        }
      }
    }
  });

  it('names each task as the replica itself reports it', async () => {
    const sticky = deployed.find((s) => s.name === 'web-sticky');
    const service = snapshot.services.find((s) => s.name === 'web-sticky');
    expect(sticky?.urls).toHaveLength(3);
    for (const [index, url] of (sticky?.urls ?? []).entries()) {
      const body = await getText(url);
      const task = snapshot.tasks.find((t) => t.serviceId === service?.id && t.slot === index + 1 && t.desiredState === 'running');
      expect(body).toContain(`Hostname: ${task?.hostname}\n`);
    }
  });
});

describe('readSwarm failures on real parts', () => {
  it('says so when the socket does not exist', async () => {
    const missing = path.join(DEFAULT_LAB_DIR, 'no-such.sock');
    const error = await sourceError(readSwarm(connection(`unix://${missing}`)));
    expect(error.code).toBe('unreachable');
    expect(error.message).toBe(`no Docker socket at ${missing}; set DOCKER_HOST to the engine's socket or address`);
  });

  describe('a second dockerd', () => {
    let plain: PlainDockerd;
    let startMs = 0;

    beforeAll(async () => {
      const started = Date.now();
      plain = await startPlainDockerd({ dir: `${DEFAULT_LAB_DIR}-plain` });
      startMs = Date.now() - started;
    });

    afterAll(async () => {
      const stopping = Date.now();
      await plain?.stop();
      process.stderr.write(`[integration] second dockerd: start ${startMs} ms, stop ${Date.now() - stopping} ms\n`);
    });

    it('that is not in Swarm mode is reported as not a Swarm manager', async () => {
      const error = await sourceError(readSwarm(connection(plain.dockerHost)));
      expect(error.code).toBe('not-swarm-manager');
      expect(error.message).toMatch(/is not part of a swarm; point DOCKER_HOST at a Swarm manager/);
    });

    it('that is a Swarm worker is reported as such', async () => {
      const leave = await plain.joinAsWorker(inject('dockerHost'));
      try {
        const error = await sourceError(readSwarm(connection(plain.dockerHost)));
        expect(error.code).toBe('not-swarm-manager');
        expect(error.message).toMatch(/is a Swarm worker; point DOCKER_HOST at a manager/);
      } finally {
        await leave();
      }
    });
  });
});
