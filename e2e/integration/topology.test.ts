// Issue 2 acceptance on real parts: `stickyscope topology --json` against the Swarm lab, checked against the engine's
// own account of the same services and tasks (read straight from its API, not through our reader).
import { beforeAll, describe, expect, inject, it } from 'vitest';

import type { Topology, TopologyService } from '@/lib/topology/types';
import { defaultCookieName } from '@/lib/traefik/cookie';

import { LAB_OVERLAY, type LabService } from '../../scripts/lab/swarm.mjs';
import { engineGet, labDockerHost, runStickyscope } from './lab-cli';

type RawTask = {
  ID: string;
  ServiceID: string;
  Slot?: number;
  DesiredState: string;
  Status: { State: string };
  NetworksAttachments?: { Network: { ID: string; Spec: { Name: string } }; Addresses: string[] }[];
};
type RawService = { ID: string; Spec: { Name: string }; Endpoint?: { VirtualIPs?: { NetworkID: string; Addr?: string }[] } };
type RawNetwork = { Id: string; Name: string };

const bareIp = (cidr: string) => cidr.split('/')[0] ?? cidr;
const slots = (n: number) => Array.from({ length: n }, (_, i) => i + 1);

describe('stickyscope topology --json against the real Swarm lab', () => {
  const deployed = inject('labServices');
  let topology: Topology;
  let rawServices: RawService[];
  let rawTasks: RawTask[];
  let rawNetworks: RawNetwork[];

  beforeAll(async () => {
    const dockerHost = labDockerHost();
    const run = await runStickyscope(['topology', '--json'], dockerHost);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    topology = JSON.parse(run.stdout) as Topology;
    [rawServices, rawTasks, rawNetworks] = await Promise.all([
      engineGet<RawService[]>(dockerHost, '/services'),
      engineGet<RawTask[]>(dockerHost, '/tasks'),
      engineGet<RawNetwork[]>(dockerHost, '/networks'),
    ]);
  });

  const serviceNamed = (name: string): TopologyService => {
    const found = topology.services.find((s) => s.name === name);
    if (!found) throw new Error(`topology lacks ${name}`);
    return found;
  };
  /** The engine's running tasks of a service, by slot. */
  const engineTasks = (name: string): RawTask[] => {
    const id = rawServices.find((s) => s.Spec.Name === name)?.ID;
    return rawTasks
      .filter((t) => t.ServiceID === id && t.DesiredState === 'running' && t.Status.State === 'running')
      .sort((a, b) => (a.Slot ?? 0) - (b.Slot ?? 0));
  };
  const ipOn = (task: RawTask, network: string): string => {
    const address = task.NetworksAttachments?.find((a) => a.Network.Spec.Name === network)?.Addresses[0];
    if (!address) throw new Error(`task ${task.ID} has no address on ${network}`);
    return bareIp(address);
  };
  const overlayDefs = (): LabService[] => deployed.filter((d) => d.network !== 'host');

  it('reads Docker and says Traefik comes from labels', () => {
    expect(topology.sources.docker).toMatchObject({ status: 'ok', apiVersion: '1.41' });
    expect(topology.sources.traefik).toMatchObject({ status: 'off', origin: 'labels' });
    expect(topology.services.map((s) => s.name).sort()).toEqual(deployed.map((d) => d.name).sort());
  });

  it('reports replicas, task slots, task ids, endpoint mode and networks as the engine has them', () => {
    for (const def of deployed) {
      const service = serviceNamed(def.name);
      expect(service, def.name).toMatchObject({ replicas: { desired: def.replicas, running: def.replicas }, endpointMode: def.endpointMode });
      expect([...service.networks].sort(), def.name).toEqual([...def.networks].sort());
      const running = service.tasks.filter((t) => t.state === 'running');
      expect(running.map((t) => t.slot), def.name).toEqual(slots(def.replicas));
      expect(running.map((t) => t.hostname), def.name).toEqual(def.hostnames);
      expect(running.map((t) => t.id), def.name).toEqual(engineTasks(def.name).map((t) => t.ID));
    }
  });

  it('parses the sticky cookie from the labels', () => {
    const labelled = { cookieName: 'srv_id', generatedName: false, secure: true, httpOnly: true, sameSite: 'lax', maxAge: null };
    for (const name of ['web-sticky', 'web-lbswarm', 'web-dnsrr', 'web-overlay']) {
      expect(serviceNamed(name).labelSticky, name).toMatchObject(labelled);
    }
    // Routed through task addresses, so Traefik would run the labelled cookie.
    for (const name of ['web-dnsrr', 'web-overlay']) expect(serviceNamed(name).sticky, name).toMatchObject(labelled);
    // Host networking leaves Traefik no address, so no service and no cookie is in effect.
    expect(serviceNamed('web-sticky').sticky).toBeNull();
    expect(serviceNamed('good-sticky').sticky).toMatchObject({ cookieName: 'srv_id', secure: false, httpOnly: true, sameSite: 'lax', maxAge: 3600 });
    expect(serviceNamed('mis-secure-cookie-over-http').sticky).toMatchObject({ secure: true });
    for (const name of ['web-plain', 'mis-no-sticky', 'mis-v1-labels', 'mis-sticky-without-cookie']) {
      expect(serviceNamed(name).sticky, name).toBeNull();
      expect(serviceNamed(name).labelSticky, name).toBeNull();
    }
    expect(serviceNamed('mis-sticky-without-cookie').labelConfig.stickyWithoutCookie).toEqual(['mis-sticky-without-cookie']);
  });

  it('names an unnamed sticky cookie the way Traefik generates it from the qualified service name', () => {
    const service = serviceNamed('mis-mesh-bypass');
    const generated = { name: null, cookieName: defaultCookieName('mis-mesh-bypass@swarm'), generatedName: true };
    expect(generated.cookieName).toMatch(/^_[0-9a-f]{5}$/);
    expect(service.traefikServices).toEqual(['mis-mesh-bypass@swarm']);
    expect(service.sticky).toMatchObject(generated);
    expect(service.labelSticky).toMatchObject(generated);
  });

  it('builds server URLs from the tasks’ overlay addresses, each naming its task', () => {
    for (const def of overlayDefs().filter((d) => d.name !== 'mis-lbswarm' && d.name !== 'mis-ambiguous-network')) {
      const service = serviceNamed(def.name);
      const expected = engineTasks(def.name).map((t) => ({ url: `http://${ipOn(t, LAB_OVERLAY)}:80`, taskId: t.ID }));
      expect(expected, def.name).toHaveLength(def.replicas);
      const byTraefikService = new Map<string, typeof service.servers>();
      for (const server of service.servers) {
        const key = server.traefikService ?? '';
        byTraefikService.set(key, [...(byTraefikService.get(key) ?? []), server]);
      }
      expect([...byTraefikService.keys()].sort(), def.name).toEqual([...service.traefikServices].sort());
      for (const [traefikService, servers] of byTraefikService) {
        const got = servers.map(({ url, taskId }) => ({ url, taskId }));
        expect(got.sort((a, b) => a.url.localeCompare(b.url)), `${def.name} ${traefikService}`).toEqual(
          expected.sort((a, b) => a.url.localeCompare(b.url)),
        );
      }
      expect(service.unroutedTaskIds, def.name).toEqual([]);
    }
    // Two Traefik services on the same tasks: `/` and `/socket.io` each list every task.
    expect(serviceNamed('mis-split-routers').traefikServices.sort()).toEqual(['mis-split-routers-ws@swarm', 'mis-split-routers@swarm']);
  });

  it('takes a task address without a network label on two networks, and warns the choice is Traefik’s', () => {
    const service = serviceNamed('mis-ambiguous-network');
    const [task] = engineTasks('mis-ambiguous-network');
    const ips = (task?.NetworksAttachments ?? []).flatMap((a) => a.Addresses.map(bareIp));
    expect(ips).toHaveLength(2);
    expect(service.servers).toHaveLength(1);
    expect(ips.map((ip) => `http://${ip}:80`)).toContain(service.servers[0]?.url);
    expect(service.servers[0]?.taskId).toBe(task?.ID);
    expect(service.traefikWarnings).toEqual([
      'mis-ambiguous-network: tasks sit on several networks and no network label is set; Traefik picks one at random.',
    ]);
  });

  it('detects lbswarm: one server, the service VIP on the overlay, with no task behind it', () => {
    const overlayId = rawNetworks.find((n) => n.Name === LAB_OVERLAY)?.Id;
    const vip = rawServices.find((s) => s.Spec.Name === 'mis-lbswarm')?.Endpoint?.VirtualIPs?.find((v) => v.NetworkID === overlayId)?.Addr;
    expect(vip).toBeTruthy();
    const service = serviceNamed('mis-lbswarm');
    expect(service.labelConfig.lbswarm).toBe(true);
    expect(service.virtualIps).toContain(bareIp(vip ?? ''));
    expect(service.servers).toEqual([{ url: `http://${bareIp(vip ?? '')}:80`, status: null, taskId: null, traefikService: 'mis-lbswarm@swarm' }]);
    expect(serviceNamed('web-lbswarm').labelConfig.lbswarm).toBe(true);
    expect(serviceNamed('good-sticky').labelConfig.lbswarm).toBe(false);
  });

  it('recognises Traefik v1 labels', () => {
    const v1Keys = (name: string) => serviceNamed(name).labelConfig.v1Labels.map((l) => l.key).sort();
    const webV1 = deployed.find((d) => d.name === 'web-v1');
    expect(v1Keys('web-v1')).toEqual(Object.keys(webV1?.labels ?? {}).filter((k) => k !== 'traefik.enable').sort());
    expect(v1Keys('mis-v1-labels')).toEqual(['traefik.backend.loadbalancer.stickiness', 'traefik.backend.loadbalancer.stickiness.cookieName']);
    expect(v1Keys('good-sticky')).toEqual([]);
  });

  it('explains that Traefik finds no address for host-network services', () => {
    const noAddress = (name: string) => `${name}: no running task with a swarm network address: Traefik has no router for it.`;
    expect(serviceNamed('web-sticky').traefikWarnings).toEqual([noAddress('web-sticky')]);
    expect(serviceNamed('web-plain').traefikWarnings).toEqual([noAddress('web-plain')]);
    expect(serviceNamed('web-lbswarm').traefikWarnings).toEqual(['web-lbswarm: no virtual IP on a swarm network: Traefik skips it.']);
    for (const def of deployed.filter((d) => d.network === 'host')) {
      const service = serviceNamed(def.name);
      expect(service.traefikWarnings.length, def.name).toBeGreaterThan(0);
      expect(service.tasks.flatMap((t) => t.addresses), def.name).toEqual([]);
      expect(service.servers, def.name).toEqual([]);
      expect(service.routers, def.name).toEqual([]);
    }
    for (const def of overlayDefs().filter((d) => d.name !== 'web-overlay' && d.name !== 'mis-ambiguous-network')) {
      expect(serviceNamed(def.name).traefikWarnings, def.name).toEqual([]);
    }
  });
});
