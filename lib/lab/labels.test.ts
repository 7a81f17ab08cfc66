import { describe, expect, it } from 'vitest';
import { applyLabelChange, labelChangeSchema, readLabLabels, routersOf, sameLabels } from './labels';
import { labScenarios } from './scenarios';
import { labelConfigOf } from './test/labels';

const secureScenario = labScenarios.find((s) => s.name === 'secure-cookie-over-http')!;
const secureKey = 'traefik.http.services.secure-cookie-over-http.loadbalancer.sticky.cookie.secure';

function refusal(name: string, labels: Record<string, string>) {
  const read = readLabLabels(name, labels);
  if (read.ok) throw new Error('expected the labels to be refused');
  return read;
}

describe('labelChangeSchema', () => {
  it('accepts traefik.* keys to set and remove, defaulting the missing half', () => {
    expect(labelChangeSchema.parse({ set: { [secureKey]: 'false' } })).toEqual({ set: { [secureKey]: 'false' }, remove: [] });
    expect(labelChangeSchema.parse({ remove: [secureKey] })).toEqual({ set: {}, remove: [secureKey] });
  });

  it.each([
    ['an unknown field', { set: { [secureKey]: 'false' }, labels: {} }],
    ['a key outside traefik.*', { set: { 'com.example.team': 'ops' } }],
    ['a key with a space', { remove: ['traefik.http.routers.a b.rule'] }],
    ['a value that is not a string', { set: { [secureKey]: false } }],
    ['an empty change', { set: {}, remove: [] }],
    ['a value with CR/LF (header injection into the lab balancer)', { set: { 'traefik.http.services.web.loadbalancer.sticky.cookie.name': 'a\r\nX-Evil: 1' } }],
    ['a value with another control character', { set: { [secureKey]: 'true\u0000' } }],
    ['a key with a control character', { remove: ['traefik.http.routers.a\u0001.rule'] }],
    ['no change at all', {}],
  ])('refuses %s', (_what, body) => {
    expect(labelChangeSchema.safeParse(body).success).toBe(false);
  });

  it('takes at most 50 labels per edit, refused with one problem before any key is checked', () => {
    const set = Object.fromEntries(Array.from({ length: 10_000 }, (_, i) => [`bad key ${i}`, 'x']));
    expect(labelChangeSchema.safeParse({ set }).error?.issues.map((i) => i.message)).toEqual(['at most 50 labels per edit']);
    const fifty = Object.fromEntries(Array.from({ length: 50 }, (_, i) => [`traefik.k${i}`, 'x']));
    expect(labelChangeSchema.safeParse({ set: fifty }).success).toBe(true);
  });
});

describe('applyLabelChange', () => {
  it('sets, replaces every spelling of a key Traefik reads case-insensitively, and removes', () => {
    const labels = { 'traefik.enable': 'true', 'traefik.http.services.web.loadbalancer.sticky.cookie.Secure': 'true', other: 'x' };
    const next = applyLabelChange(labels, {
      set: { 'traefik.http.services.web.loadbalancer.sticky.cookie.secure': 'false' },
      remove: ['TRAEFIK.ENABLE'],
    });
    expect(next).toEqual({ other: 'x', 'traefik.http.services.web.loadbalancer.sticky.cookie.secure': 'false' });
    expect(labels['traefik.enable']).toBe('true');
  });
});

describe('readLabLabels', () => {
  it('reads a scenario the way the topology reads a Swarm service, under the lab provider', () => {
    const config = labelConfigOf(secureScenario.name, applyLabelChange(secureScenario.labels, { set: { [secureKey]: 'false' }, remove: [] }));
    expect(config.services[0]?.name).toBe('secure-cookie-over-http@lab');
    expect(config.services[0]?.sticky).toMatchObject({ secure: false, httpOnly: true });
    expect(routersOf(config).map((r) => r.hosts)).toEqual([['secure-cookie-over-http.lab.test']]);
  });

  it('refuses labels Traefik would reject, with the label reader’s own explanation', () => {
    const error = refusal('sticky-ok', { ...secureScenario.labels, [secureKey]: 'maybe' });
    expect(error.message).toMatch(/Traefik would reject/);
    expect(error.issues).toEqual([`${secureKey}=maybe: Not a boolean. Traefik rejects this service's labels and skips it.`]);
  });

  it('refuses a router for a host outside the lab’s domain', () => {
    const error = refusal('sticky-ok', { ...secureScenario.labels, 'traefik.http.routers.secure-cookie-over-http.rule': 'Host(`example.com`)' });
    expect(error.message).toMatch(/\.lab\.test/);
    expect(error.issues).toEqual(['secure-cookie-over-http@lab: example.com']);
  });

  it('keeps labels Traefik accepts with a complaint, so the findings can show it', () => {
    const samesite = 'traefik.http.services.secure-cookie-over-http.loadbalancer.sticky.cookie.samesite';
    const config = labelConfigOf(secureScenario.name, { ...secureScenario.labels, [samesite]: 'sometimes' });
    expect(config.problems.map((p) => p.key)).toEqual([samesite]);
  });

  it('gives a disabled service no routers', () => {
    const config = labelConfigOf(secureScenario.name, { ...secureScenario.labels, 'traefik.enable': 'false' });
    expect(routersOf(config)).toEqual([]);
  });
});

describe('sameLabels', () => {
  it('compares keys and values exactly', () => {
    expect(sameLabels({ a: '1', b: '2' }, { b: '2', a: '1' })).toBe(true);
    expect(sameLabels({ a: '1' }, { a: '2' })).toBe(false);
    expect(sameLabels({ a: '1' }, { A: '1' })).toBe(false);
    expect(sameLabels({ a: '1' }, { a: '1', b: '2' })).toBe(false);
  });
});
