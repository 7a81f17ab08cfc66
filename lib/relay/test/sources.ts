// Stand-ins for the dashboard's configuration and topology in relay route tests: the allowlist is the thing under
// test, so it is set directly instead of read from the environment and a cluster.
import type { TargetEntry } from '../allowlist';

export function configAllowing(allowedTargets: TargetEntry[]) {
  return { getConfig: () => ({ refreshIntervalMs: 5000, clusters: [], allowedTargets }) };
}

export const noTopology = {
  topologyGeneration: () => 0,
  getTopology: async () => ({
    generatedAt: new Date(0).toISOString(),
    sources: { docker: { status: 'off', ms: 0 }, traefik: { status: 'off', ms: 0 } },
    nodes: [],
    services: [],
    unmatchedTraefikServices: [],
  }),
};
