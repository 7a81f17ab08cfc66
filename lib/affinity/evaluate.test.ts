import { describe, expect, it } from 'vitest';
import { countBySeverity, evaluateTopology } from './evaluate';
import { rules } from './rules';
import { aRouter, aService, aTopology, editLabels, goodLabels } from './test-model';
import { ruleIds } from './types';

const stickyKeys = Object.keys(goodLabels).filter((k) => k.includes('.sticky'));

describe('evaluateTopology', () => {
  it('registers every rule id exactly once', () => {
    expect(rules.map((r) => r.id).sort()).toEqual([...ruleIds].sort());
  });

  it('finds nothing on a correctly configured sticky service', () => {
    expect(evaluateTopology(aTopology([aService()]))).toEqual([]);
  });

  it('lists findings by severity, then service, then rule', () => {
    const broken = aService({
      id: 'a',
      name: 'shop_api',
      sticky: null,
      labelSticky: null,
      labels: editLabels(goodLabels, {}, stickyKeys),
      routers: [aRouter({ hosts: ['api.example.com'] })],
      ports: [{ protocol: 'tcp', targetPort: 8080, publishedPort: 8080, publishMode: 'ingress' }],
    });
    const single = aService({ id: 'b', name: 'shop_admin', replicas: { desired: 1, running: 1 }, routers: [aRouter({ hosts: ['admin.example.com'] })] });
    const findings = evaluateTopology(aTopology([single, broken, aService()]));
    expect(findings.map((f) => `${f.severity} ${f.service} ${f.rule}`)).toEqual([
      'error shop_api no-sticky',
      'warning shop_api mesh-bypass',
      'info shop_admin single-replica',
    ]);
    expect(countBySeverity(findings)).toEqual({ error: 1, warning: 1, info: 1 });
  });
});
