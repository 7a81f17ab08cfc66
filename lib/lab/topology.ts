// The lab's services in the same Topology model as a real cluster, alone or beside one. Pure: snapshots in, model out.
import { errorMessage } from '@/lib/errors';
import { stickyOf } from '@/lib/topology/correlate';
import type { Topology, TopologyServer, TopologyService, TopologyTask } from '@/lib/topology/types';
import type { Lab, LabService } from './lab';
import { routersOf } from './labels';

export function labServiceId(name: string): string {
  return `lab-${name}`;
}

function toTask(name: string, replica: LabService['replicas'][number], address: string): TopologyTask {
  const alive = replica.server.alive;
  return {
    id: `${labServiceId(name)}-${replica.slot}`,
    slot: replica.slot,
    state: alive ? 'running' : 'shutdown',
    desiredState: alive ? 'running' : 'shutdown',
    node: 'lab',
    containerId: null,
    hostname: replica.hostname,
    addresses: [address],
    networks: [{ name: 'lab', ip: address }],
    error: null,
  };
}

export function mapLabServices(services: readonly LabService[], address: string): TopologyService[] {
  return services.map(({ scenario, labels, labelConfig, edited, replicas, vipUrl }): TopologyService => {
    const tasks = replicas.map((r) => toTask(scenario.name, r, address));
    // Like Traefik, a service with traefik.enable=false has no routers and no servers.
    const routers = routersOf(labelConfig);
    const traefikServices = labelConfig.enabled === false ? [] : labelConfig.services;
    const servers: TopologyServer[] = traefikServices.flatMap((s): TopologyServer[] =>
      vipUrl
        ? [{ url: vipUrl, status: 'UP' as const, taskId: null, traefikService: s.name }]
        : replicas
            .filter((r) => r.server.alive)
            .map((r) => ({ url: r.server.url, status: 'UP' as const, taskId: `${labServiceId(scenario.name)}-${r.slot}`, traefikService: s.name })),
    );
    const sticky = stickyOf(traefikServices);
    return {
      id: labServiceId(scenario.name),
      name: scenario.name,
      stack: 'lab',
      replicas: { desired: scenario.replicas, running: replicas.filter((r) => r.server.alive).length },
      endpointMode: 'vip',
      mode: 'replicated',
      ports: [],
      networks: ['lab'],
      labels,
      hasHealthCheck: false,
      tasks,
      routers,
      traefikServices: traefikServices.map((s) => s.name),
      sticky,
      traefikOrigin: 'labels',
      traefikHealthCheck: traefikServices.some((s) => s.hasHealthCheck),
      servers,
      unroutedTaskIds: [],
      labelConfig,
      traefikWarnings: [],
      virtualIps: vipUrl ? [address] : [],
      labelSticky: sticky,
      lab: { scenario: scenario.name, description: scenario.description, edited, ...(scenario.emulation ? { emulation: scenario.emulation } : {}) },
    };
  });
}

export type LabSnapshot = Pick<Lab, 'address' | 'port' | 'services'>;

const LAB_ONLY_SOURCES: Pick<Topology['sources'], 'docker' | 'traefik'> = {
  docker: { status: 'off', ms: 0, message: 'Showing the embedded demo lab instead of a Swarm. Set DOCKER_HOST to read a real cluster.' },
  traefik: { status: 'off', ms: 0, origin: 'labels', message: 'The lab balancer routes by the lab services’ traefik-style labels.' },
};

/** The lab as a topology source on its own, in the same model as a real cluster. */
export function toLabTopology(lab: LabSnapshot, ms: number, now: Date = new Date()): Topology {
  return {
    generatedAt: now.toISOString(),
    sources: {
      ...LAB_ONLY_SOURCES,
      lab: { status: 'ok', ms, message: 'embedded demo lab', balancer: { address: lab.address, port: lab.port } },
    },
    nodes: [],
    services: mapLabServices(lab.services, lab.address),
    unmatchedTraefikServices: [],
  };
}

/** A lab that failed to start: the source says why, and there are no lab services. */
export function labFailureTopology(error: unknown, ms: number, now: Date = new Date()): Topology {
  return {
    generatedAt: now.toISOString(),
    sources: { ...LAB_ONLY_SOURCES, lab: { status: 'error', ms, message: `The embedded demo lab did not start: ${errorMessage(error)}` } },
    nodes: [],
    services: [],
    unmatchedTraefikServices: [],
  };
}

/** The cluster's topology with the lab beside it: the cluster's sources and nodes, plus the lab source and services. */
export function mergeLabTopology(cluster: Topology, lab: Topology): Topology {
  return {
    ...cluster,
    sources: { ...cluster.sources, lab: lab.sources.lab },
    services: [...cluster.services, ...lab.services],
  };
}
