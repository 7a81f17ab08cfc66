// The label edit routes on a real in-process lab, with the topology they invalidate.
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import type { ApiErrorBody } from '@/lib/http';
import type { TopologyService } from '@/lib/topology/types';

const config = vi.hoisted(() => ({ lab: true }));
vi.mock('@/lib/env', () => ({
  getConfig: () => ({ refreshIntervalMs: 5000, allowedTargets: [], lab: config.lab, clusters: [{ id: 'default', name: 'default', docker: null, traefik: null }] }),
}));

const { PATCH } = await import('./route');
const { POST: RESET } = await import('../reset/route');
const { getLab } = await import('@/lib/lab');
const { getTopology } = await import('@/lib/topology');

const secureKey = 'traefik.http.services.secure-cookie-over-http.loadbalancer.sticky.cookie.secure';

function patch(name: string, body: unknown) {
  const request = new Request(`http://dashboard/api/lab/services/${name}/labels`, {
    method: 'PATCH',
    headers: { 'content-type': 'application/json' },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  return PATCH(request, { params: Promise.resolve({ name }) });
}

const reset = (name: string) => RESET(new Request(`http://dashboard/api/lab/services/${name}/reset`, { method: 'POST' }), { params: Promise.resolve({ name }) });

async function labelsInTopology(name: string) {
  return (await getTopology()).services.find((s) => s.name === name)?.labels;
}

afterEach(async () => {
  config.lab = true;
  await reset('secure-cookie-over-http');
});

afterAll(async () => {
  await (await getLab()).stop();
});

describe('PATCH /api/lab/services/[name]/labels', () => {
  it('applies the edit, and the topology shows it at once, cache or not', async () => {
    expect((await labelsInTopology('secure-cookie-over-http'))?.[secureKey]).toBe('true');
    const response = await patch('secure-cookie-over-http', { set: { [secureKey]: 'false' } });
    expect(response.status).toBe(200);
    const { service } = (await response.json()) as { service: TopologyService };
    expect(service).toMatchObject({ name: 'secure-cookie-over-http', sticky: { secure: false }, lab: { edited: true } });
    expect((await labelsInTopology('secure-cookie-over-http'))?.[secureKey]).toBe('false');

    const back = await reset('secure-cookie-over-http');
    expect(back.status).toBe(200);
    expect((await back.json()).service.lab.edited).toBe(false);
    expect((await labelsInTopology('secure-cookie-over-http'))?.[secureKey]).toBe('true');
  });

  it('accepts a value Traefik cannot use, as Traefik does, and the findings say so at once', async () => {
    const { evaluateTopology } = await import('@/lib/affinity/evaluate');
    const sameSiteKey = 'traefik.http.services.secure-cookie-over-http.loadbalancer.sticky.cookie.samesite';
    const response = await patch('secure-cookie-over-http', { set: { [sameSiteKey]: 'bogus' } });
    expect(response.status).toBe(200);
    const { service } = (await response.json()) as { service: TopologyService };
    expect(service.labelConfig.problems).toMatchObject([{ key: sameSiteKey, value: 'bogus' }]);
    const finding = evaluateTopology(await getTopology()).find((f) => f.rule === 'invalid-labels' && f.service === 'secure-cookie-over-http');
    expect(finding?.evidence[0]?.label).toBe(`${sameSiteKey}=bogus`);
    expect(finding?.fix?.labelsToAdd).toEqual({ [sameSiteKey]: 'lax' });
  });

  it('refuses, with 403 and a reason, a service that is not the lab’s', async () => {
    const response = await patch('shop_web', { set: { [secureKey]: 'false' } });
    expect(response.status).toBe(403);
    const body = (await response.json()) as ApiErrorBody;
    expect(body.error.code).toBe('not-a-lab-service');
    expect(body.error.message).toMatch(/not a service of the embedded demo lab/);
  });

  it('refuses every edit with 403 when the lab is off', async () => {
    config.lab = false;
    for (const response of [await patch('secure-cookie-over-http', { set: { [secureKey]: 'false' } }), await reset('secure-cookie-over-http')]) {
      expect(response.status).toBe(403);
      expect(((await response.json()) as ApiErrorBody).error.code).toBe('lab-off');
    }
  });

  it.each([
    ['a body that is not JSON', 'secure=false', /not valid JSON: a label edit is/, undefined],
    ['a key outside traefik.*', { set: { 'com.example.team': 'ops' } }, /invalid label edit/, /set\.com\.example\.team: only traefik/],
    ['an unknown field', { set: { [secureKey]: 'false' }, labels: {} }, /invalid label edit/, /labels/],
    ['a label Traefik would reject', { set: { [secureKey]: 'maybe' } }, /Traefik would reject/, /Not a boolean/],
  ])('answers 400 to %s and changes nothing', async (_what, body, message, issue) => {
    const response = await patch('secure-cookie-over-http', body);
    expect(response.status).toBe(400);
    const { error } = (await response.json()) as ApiErrorBody;
    expect(error.message).toMatch(message);
    if (issue) expect(error.issues?.join('\n')).toMatch(issue);
    expect((await labelsInTopology('secure-cookie-over-http'))?.[secureKey]).toBe('true');
  });
});
