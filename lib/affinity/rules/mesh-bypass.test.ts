import { describe, expect, it } from 'vitest';
import { aService, runRule } from '../test-model';
import { meshBypass } from './mesh-bypass';

describe('mesh-bypass', () => {
  it('reports an ingress-published port on a routed service', () => {
    const [finding] = runRule(meshBypass, aService({ ports: [{ protocol: 'tcp', targetPort: 8080, publishedPort: 8080, publishMode: 'ingress' }] }));
    expect(finding?.severity).toBe('warning');
    expect(finding?.evidence).toEqual([{ label: 'published port', value: '8080 → 8080/tcp (ingress mode)' }]);
    expect(finding?.fix?.note).toContain('--publish-rm 8080 shop_web');
  });

  it('is silent for host-mode ports, no ports, or a service Traefik does not route', () => {
    expect(runRule(meshBypass, aService({ ports: [{ protocol: 'tcp', targetPort: 80, publishedPort: 80, publishMode: 'host' }] }))).toEqual([]);
    expect(runRule(meshBypass, aService())).toEqual([]);
    const traefik = aService({ routers: [], ports: [{ protocol: 'tcp', targetPort: 80, publishedPort: 80, publishMode: 'ingress' }] });
    expect(runRule(meshBypass, traefik)).toEqual([]);
  });
});
