import 'server-only';
// Starts the embedded demo lab in this process: replicas, lbswarm VIPs and the lab balancer, all on 127.0.0.1 with
// ports the OS picks.
import http from 'node:http';
import { parseServiceLabels } from '@/lib/traefik/labels';
import type { LabelConfig } from '@/lib/traefik/types';
import { createLabBalancer, createVipServer, type LabRoute } from './balancer';
import { createReplicaServer } from './replica';
import { labHost, labScenarios, type LabScenario } from './scenarios';
import type { LabBackend, LabServer } from './sticky';

export const LAB_ADDRESS = '127.0.0.1';
export const LAB_PROVIDER = 'lab';

const MAX_REMOVED_SHOWN = 3;

export type LabReplica = { slot: number; hostname: string; server: LabServer };

export type LabService = {
  scenario: LabScenario;
  labelConfig: LabelConfig;
  replicas: LabReplica[];
  /** The lbswarm VIP's URL, when the labels ask for one. */
  vipUrl: string | null;
};

export type Lab = {
  address: typeof LAB_ADDRESS;
  /** The lab balancer's port on 127.0.0.1; every lab host is reached through it. */
  port: number;
  startedAt: number;
  services: LabService[];
  hosts: string[];
  stop(): Promise<void>;
};

function listen(server: http.Server): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, LAB_ADDRESS, () => {
      server.off('error', reject);
      const address = server.address();
      if (address && typeof address === 'object') resolve(address.port);
      else reject(new Error('lab server has no port'));
    });
  });
}

function close(server: http.Server): Promise<void> {
  return new Promise((resolve) => {
    if (!server.listening) return resolve();
    server.close(() => resolve());
    server.closeAllConnections();
  });
}

export async function startLab(scenarios: readonly LabScenario[] = labScenarios): Promise<Lab> {
  const servers: http.Server[] = [];
  const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });
  let stopped = false;
  const start = async (server: http.Server) => {
    if (stopped) throw new Error('the lab has stopped');
    servers.push(server);
    return `http://${LAB_ADDRESS}:${await listen(server)}`;
  };
  const stop = async () => {
    stopped = true;
    await Promise.all(servers.map(close));
    agent.destroy();
  };

  try {
    const services: LabService[] = [];
    const routes: LabRoute[] = [];
    for (const scenario of scenarios) {
      const labelConfig = parseServiceLabels(scenario.name, scenario.labels, { provider: LAB_PROVIDER });
      const replicas: LabReplica[] = [];
      // Shared with the backends below, so a replacement replica is routed as soon as it listens.
      const replicaServers: LabServer[] = [];
      let lastSlot = scenario.replicas;
      const startReplica = async (slot: number) => {
        const hostname = `${scenario.name}-${slot}`;
        const server: LabServer = { url: '', weight: 1, alive: true };
        let served = 0;
        const listener = createReplicaServer({ replica: hostname, hostname }, () => {
          served += 1;
          if (served === scenario.replaceAfterRequests) {
            // Gone for the balancer from the next request on; this response still goes out.
            server.alive = false;
            setImmediate(() => {
              void close(listener);
              replicaServers.splice(replicaServers.indexOf(server), 1);
              // Keep the last few removed replicas on show as shut-down tasks, not every one since start.
              const removed = replicas.filter((r) => !r.server.alive);
              for (const old of removed.slice(0, -MAX_REMOVED_SHOWN)) replicas.splice(replicas.indexOf(old), 1);
              if (stopped) return;
              startReplica(++lastSlot).catch((error: unknown) => console.error('lab: replacement replica failed', error));
            });
          }
        });
        server.url = await start(listener);
        replicas.push({ slot, hostname, server });
        replicaServers.push(server);
      };
      for (let slot = 1; slot <= scenario.replicas; slot++) await startReplica(slot);
      let vipUrl: string | null = null;
      if (labelConfig.lbswarm) vipUrl = await start(createVipServer({ name: `${scenario.name}-vip`, sticky: null, servers: replicaServers }, agent));
      const backends = new Map<string, LabBackend>(
        labelConfig.services.map((s) => [
          s.name.toLowerCase(),
          { name: s.name, sticky: s.sticky, servers: vipUrl ? [{ url: vipUrl, weight: 1, alive: true }] : replicaServers },
        ]),
      );
      for (const router of labelConfig.routers) {
        const backend = backends.get(router.service.toLowerCase());
        if (backend) routes.push({ router, backend });
      }
      services.push({ scenario, labelConfig, replicas, vipUrl });
    }
    const port = Number(new URL(await start(createLabBalancer(routes, agent))).port);
    return { address: LAB_ADDRESS, port, startedAt: Date.now(), services, hosts: scenarios.map((s) => labHost(s.name)), stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
