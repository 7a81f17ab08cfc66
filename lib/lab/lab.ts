import 'server-only';
// Starts the embedded demo lab in this process: replicas, lbswarm VIPs and the lab balancer, all on 127.0.0.1 with
// ports the OS picks. Each service's labels are the lab's own state: an edit is read like a real cluster's labels,
// then swapped in whole, and the balancer follows it from the next request on.
import http from 'node:http';
import type { Duplex } from 'node:stream';
import type { LabelConfig } from '@/lib/traefik/types';
import { createLabBalancer, createVipServer, type LabRoute } from './balancer';
import { applyLabelChange, readLabLabels, routersOf, sameLabels, type LabelChange } from './labels';
import { startReplicaSet, type LabReplica, type ServerHost } from './replica-set';
import { labHost, labScenarios, type LabScenario } from './scenarios';
import type { LabBackend, LabServer } from './sticky';

export type { LabReplica } from './replica-set';

export const LAB_ADDRESS = '127.0.0.1';

export type LabService = {
  scenario: LabScenario;
  /** The labels the lab balancer follows: the scenario's, or as edited since the lab started. */
  labels: Record<string, string>;
  labelConfig: LabelConfig;
  /** The labels differ from the scenario's. */
  edited: boolean;
  /** Shared by every snapshot of the service: replicas come and go by themselves, not through edits. */
  replicas: LabReplica[];
  /** The lbswarm VIP's URL, when the labels ask for one. */
  vipUrl: string | null;
};

/**
 * A refusal is a value, not an error class: the lab is one per process while Next.js bundles each route apart, so a
 * class thrown here would not be the class another route's error handler knows.
 */
export type LabEditResult =
  | { ok: true; service: LabService }
  | { ok: false; code: 'not-a-lab-service' | 'invalid-labels'; message: string; issues: string[] };

export type Lab = {
  address: typeof LAB_ADDRESS;
  /** The lab balancer's port on 127.0.0.1; every lab host is reached through it. */
  port: number;
  startedAt: number;
  /** The services as they are now; an edit replaces the whole list, so a reader never sees half of one. */
  readonly services: readonly LabService[];
  /** Every scenario's host, and any other host an edited router answers now (all under the lab's domain). */
  readonly hosts: string[];
  /** Applies a label change to one lab service, or says why not; a refused edit changes nothing. */
  editLabels(name: string, change: LabelChange): Promise<LabEditResult>;
  /** Puts back the scenario's own labels. */
  resetLabels(name: string): Promise<LabEditResult>;
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

/** Connections taken over by an upgrade (WebSockets): `closeAllConnections` no longer sees them, `close` waits for them. */
const upgraded = new WeakMap<http.Server, Set<Duplex>>();

function trackUpgrades(server: http.Server): void {
  const sockets = new Set<Duplex>();
  upgraded.set(server, sockets);
  server.on('upgrade', (_req: http.IncomingMessage, socket: Duplex) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
}

function close(server: http.Server): Promise<void> {
  return new Promise((resolve) => {
    if (!server.listening) return resolve();
    server.close(() => resolve());
    server.closeAllConnections();
    for (const socket of upgraded.get(server) ?? []) socket.destroy();
  });
}

/** The balancer's routes for one service: its routers, each to its Traefik service's servers (or the VIP). */
function routesOf(service: LabService, servers: LabServer[]): LabRoute[] {
  const targets = service.vipUrl ? [{ url: service.vipUrl, weight: 1, alive: true }] : servers;
  const backends = new Map<string, LabBackend>(
    service.labelConfig.services.map((s) => [s.name.toLowerCase(), { name: s.name, sticky: s.sticky, servers: targets }]),
  );
  return routersOf(service.labelConfig).flatMap((router) => {
    const backend = backends.get(router.service.toLowerCase());
    return backend ? [{ router, backend }] : [];
  });
}

function notALabService(name: string): LabEditResult {
  return {
    ok: false,
    code: 'not-a-lab-service',
    message: `"${name}" is not a service of the embedded demo lab. stickyscope never changes a real cluster's labels: apply the fix with docker service update or in your stack file.`,
    issues: [],
  };
}

export async function startLab(scenarios: readonly LabScenario[] = labScenarios): Promise<Lab> {
  const listeners: http.Server[] = [];
  const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });
  let stopped = false;
  const host: ServerHost = {
    async start(server) {
      if (stopped) throw new Error('the lab has stopped');
      listeners.push(server);
      trackUpgrades(server);
      return `http://${LAB_ADDRESS}:${await listen(server)}`;
    },
    close,
    stopped: () => stopped,
  };
  const stop = async () => {
    stopped = true;
    await Promise.all(listeners.map(close));
    agent.destroy();
  };

  try {
    const replicaServers = new Map<string, LabServer[]>();
    const vips = new Map<string, Promise<string>>();
    // Started the first time a service's labels ask for lbswarm, then kept for later edits.
    const vipUrlOf = (name: string): Promise<string> => {
      let vip = vips.get(name);
      if (!vip) {
        vip = host.start(createVipServer(replicaServers.get(name) ?? [], agent));
        vips.set(name, vip);
        vip.catch(() => vips.delete(name));
      }
      return vip;
    };
    const routesFor = (services: readonly LabService[]) =>
      services.flatMap((s) => routesOf(s, replicaServers.get(s.scenario.name) ?? []));

    const services: LabService[] = [];
    for (const scenario of scenarios) {
      const read = readLabLabels(scenario.name, scenario.labels);
      if (!read.ok) throw new Error(`lab scenario ${scenario.name}: ${read.message} ${read.issues.join('; ')}`);
      const labelConfig = read.config;
      const set = await startReplicaSet(scenario, host);
      replicaServers.set(scenario.name, set.servers);
      const vipUrl = labelConfig.lbswarm ? await vipUrlOf(scenario.name) : null;
      services.push({ scenario, labels: scenario.labels, labelConfig, edited: false, replicas: set.replicas, vipUrl });
    }
    let state = { services: services as readonly LabService[], routes: routesFor(services) };

    let edits: Promise<unknown> = Promise.resolve();
    const setLabels = (name: string, labelsOf: (service: LabService) => Record<string, string>): Promise<LabEditResult> => {
      const edit = edits.then(async (): Promise<LabEditResult> => {
        const service = state.services.find((s) => s.scenario.name === name);
        if (!service) return notALabService(name);
        const labels = labelsOf(service);
        const read = readLabLabels(name, labels);
        if (!read.ok) return { ok: false, code: 'invalid-labels', message: read.message, issues: read.issues };
        const vipUrl = read.config.lbswarm ? await vipUrlOf(name) : null;
        if (stopped) throw new Error('the lab has stopped');
        const updated: LabService = { ...service, labels, labelConfig: read.config, vipUrl, edited: !sameLabels(labels, service.scenario.labels) };
        const next = state.services.map((s) => (s === service ? updated : s));
        // One assignment: a request reads the old routes or the new ones, never a mix.
        state = { services: next, routes: routesFor(next) };
        return { ok: true, service: updated };
      });
      edits = edit.catch(() => undefined);
      return edit;
    };

    const port = Number(new URL(await host.start(createLabBalancer(() => state.routes, agent))).port);
    return {
      address: LAB_ADDRESS,
      port,
      startedAt: Date.now(),
      get services() {
        return state.services;
      },
      get hosts() {
        const routed = state.routes.flatMap((r) => r.router.hosts.map((h) => h.toLowerCase()));
        return [...new Set([...scenarios.map((s) => labHost(s.name)), ...routed])];
      },
      editLabels: (name, change) => setLabels(name, (s) => applyLabelChange(s.labels, change)),
      resetLabels: (name) => setLabels(name, (s) => s.scenario.labels),
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
