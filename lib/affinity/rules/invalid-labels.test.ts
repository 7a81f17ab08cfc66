import { describe, expect, it } from 'vitest';
import { readServiceLabels } from '@/lib/traefik/labels';
import { aService, goodLabels, runRule } from '../test-model';
import { invalidLabels } from './invalid-labels';

const SAMESITE = 'traefik.http.services.web.loadbalancer.sticky.cookie.samesite';
const SECURE = 'traefik.http.services.web.loadbalancer.sticky.cookie.secure';

/** A service whose label model comes from the real label reader, as the topology builds it. */
function labelled(labels: Record<string, string>) {
  return aService({ labels, labelConfig: readServiceLabels('shop_web', labels, { provider: 'swarm' }).config });
}

describe('invalid-labels', () => {
  it('names a SameSite value Traefik ignores and sets it to lax, on the key as stored', () => {
    const [finding] = runRule(invalidLabels, labelled({ ...goodLabels, [SAMESITE]: 'bogus' }));
    expect(finding).toMatchObject({ rule: 'invalid-labels', severity: 'warning' });
    expect(finding?.evidence).toEqual([{ label: `${SAMESITE}=bogus`, value: expect.stringContaining('without SameSite') }]);
    expect(finding?.fix).toEqual({ labelsToAdd: { [SAMESITE]: 'lax' }, labelsToRemove: [] });
  });

  it('leaves a value that needs the author\'s intent to them, saying which and why', () => {
    const [finding] = runRule(invalidLabels, labelled({ ...goodLabels, [SECURE]: 'yes' }));
    expect(finding?.message).toContain(SECURE);
    expect(finding?.evidence[0]?.value).toMatch(/Not a boolean/);
    expect(finding?.fix?.labelsToAdd).toEqual({});
    expect(finding?.fix?.note).toContain(SECURE);
  });

  it('is silent when every label parses', () => {
    expect(runRule(invalidLabels, labelled(goodLabels))).toEqual([]);
    expect(runRule(invalidLabels, labelled({ ...goodLabels, [SAMESITE]: 'Strict' }))).toEqual([]);
  });
});
