import 'server-only';
// The relay's allowlist as this server sees it: the setting plus every Traefik router host in the topology.
//
// Served stale-while-revalidate: the relay is on the hot path of every probe request, and a topology read (Docker,
// Traefik) can take longer than the request itself, so only the first call waits for one. A change stickyscope made
// itself (a lab label edit) invalidates the topology, and with it the list built from the topology before: the next
// call waits for a fresh one, so a host the edit added is allowed at once.
import { getConfig } from '@/lib/env';
import { getLab } from '@/lib/lab';
import { getTopology, topologyGeneration } from '@/lib/topology';
import type { Topology } from '@/lib/topology/types';
import { buildAllowlist, type Allowlist, type TargetEntry } from './allowlist';

const FRESH_MS = 2000;

/** `generation`: the topology generation the list was built from. */
type Built = { list: Allowlist; at: number; generation: number };
type Refresh = { generation: number; list: Promise<Allowlist> };

const globalForAllowlist = globalThis as unknown as {
  stickyscopeRelayAllowlist?: { last: Built | null; refreshing: Refresh | null };
};

export function routerHostsOf(topology: Pick<Topology, 'services'>): string[] {
  return [...new Set(topology.services.flatMap((s) => s.routers.flatMap((r) => r.hosts)))];
}

function state() {
  globalForAllowlist.stickyscopeRelayAllowlist ??= { last: null, refreshing: null };
  return globalForAllowlist.stickyscopeRelayAllowlist;
}

function refresh(): Promise<Allowlist> {
  const s = state();
  const generation = topologyGeneration();
  if (s.refreshing?.generation === generation) return s.refreshing.list;
  const refreshing: Refresh = {
    generation,
    list: (async () => {
      const config = getConfig();
      const topology = await getTopology();
      const list = buildAllowlist({ configured: config.allowedTargets, routerHosts: routerHostsOf(topology), lab: config.lab ? await labTargets() : [] });
      if (generation === topologyGeneration()) s.last = { list, at: Date.now(), generation };
      return list;
    })().finally(() => {
      if (s.refreshing === refreshing) s.refreshing = null;
    }),
  };
  s.refreshing = refreshing;
  return refreshing.list;
}

/** The lab hosts and the balancer's loopback address, each on the balancer's port only. */
async function labTargets(): Promise<TargetEntry[]> {
  const lab = await getLab();
  return [...lab.hosts, lab.address].map((host) => ({ host, port: lab.port }));
}

export async function getRelayAllowlist(): Promise<Allowlist> {
  const s = state();
  if (s.last?.generation === topologyGeneration()) {
    if (Date.now() - s.last.at > FRESH_MS) refresh().catch((error: unknown) => console.error('relay allowlist refresh failed', error));
    return s.last.list;
  }
  return refresh();
}
