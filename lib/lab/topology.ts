// The lab's services in the same Topology model as a real cluster. Pure: a snapshot of the lab in, services out.
import { stickyOf } from '@/lib/topology/correlate';
import type { TopologyServer, TopologyService, TopologyTask } from '@/lib/topology/types';
import type { LabService } from './lab';

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
  return services.map(({ scenario, labelConfig, replicas, vipUrl }): TopologyService => {
    const tasks = replicas.map((r) => toTask(scenario.name, r, address));
    const servers: TopologyServer[] = labelConfig.services.flatMap((s): TopologyServer[] =>
      vipUrl
        ? [{ url: vipUrl, status: 'UP' as const, taskId: null, traefikService: s.name }]
        : replicas
            .filter((r) => r.server.alive)
            .map((r) => ({ url: r.server.url, status: 'UP' as const, taskId: `${labServiceId(scenario.name)}-${r.slot}`, traefikService: s.name })),
    );
    const sticky = stickyOf(labelConfig.services);
    return {
      id: labServiceId(scenario.name),
      name: scenario.name,
      stack: 'lab',
      replicas: { desired: scenario.replicas, running: replicas.filter((r) => r.server.alive).length },
      endpointMode: 'vip',
      mode: 'replicated',
      ports: [],
      networks: ['lab'],
      labels: scenario.labels,
      hasHealthCheck: false,
      tasks,
      routers: labelConfig.routers,
      traefikServices: labelConfig.services.map((s) => s.name),
      sticky,
      traefikOrigin: 'labels',
      traefikHealthCheck: labelConfig.services.some((s) => s.hasHealthCheck),
      servers,
      unroutedTaskIds: [],
      labelConfig,
      traefikWarnings: [],
      virtualIps: vipUrl ? [address] : [],
      labelSticky: sticky,
    };
  });
}
