import { describe, expect, it } from 'vitest';
import type { ClusterConfig } from '@/lib/config-types';
import { topologySources } from './sources';

const docker = { host: 'unix:///run/swarm.sock', tls: null, timeoutMs: 5000 };
const traefik = { url: 'http://traefik:8080', auth: null, timeoutMs: 5000, maxBodyBytes: 1024 };
const cluster = (parts: Partial<ClusterConfig>): ClusterConfig => ({ id: 'default', name: 'default', docker: null, traefik: null, ...parts });

describe('topologySources', () => {
  it('shows the lab alone when no cluster is configured', () => {
    expect(topologySources({ lab: true, clusters: [cluster({})] })).toEqual({ cluster: null, lab: true });
  });

  it.each([['Docker', { docker }], ['Traefik', { traefik }], ['both', { docker, traefik }]])(
    'shows the lab beside a cluster configured with %s when the lab is asked for',
    (_what, parts) => {
      const configured = cluster(parts);
      expect(topologySources({ lab: true, clusters: [configured] })).toEqual({ cluster: configured, lab: true });
    },
  );

  it('reads only the cluster when the lab is off, configured or not', () => {
    const configured = cluster({ docker });
    expect(topologySources({ lab: false, clusters: [configured] })).toEqual({ cluster: configured, lab: false });
    const empty = cluster({});
    expect(topologySources({ lab: false, clusters: [empty] })).toEqual({ cluster: empty, lab: false });
  });
});
