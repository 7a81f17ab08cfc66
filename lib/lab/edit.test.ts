// Label edits on a running lab: the balancer follows them from the next request on, findings follow the topology,
// and a refused edit changes nothing.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { evaluateTopology } from '@/lib/affinity/evaluate';
import { encodeStickyCookie } from '@/lib/traefik/cookie';
import { startLab, type Lab, type LabEditResult } from './lab';
import { labHost, labScenarioNames } from './scenarios';
import { probeLab } from './test/probe';
import { plainRequest } from './test/request';
import { toLabTopology } from './topology';

let lab: Lab;

beforeAll(async () => {
  lab = await startLab();
});

afterEach(async () => {
  for (const name of labScenarioNames) await lab.resetLabels(name);
});

afterAll(async () => {
  await lab?.stop();
});

/** The edited service; fails the test with the lab's reason when the edit was refused. */
async function applied(edit: Promise<LabEditResult>) {
  const result = await edit;
  if (!result.ok) throw new Error(`edit refused: ${result.message}`);
  return result.service;
}

const serviceOf = (name: string) => lab.services.find((s) => s.scenario.name === name)!;
const errorRules = (service: string) =>
  evaluateTopology(toLabTopology(lab, 0))
    .filter((f) => f.service === service && f.severity === 'error')
    .map((f) => f.rule);
const setCookieOf = (scenario: string) =>
  plainRequest(`http://127.0.0.1:${lab.port}/`, { host: labHost(scenario) }).then((r) => r.headers['set-cookie']?.[0] ?? '');

describe('lab label edits', () => {
  it('fix and verify: the finding’s own fix makes secure-cookie-over-http pass, and reset brings the failure back', async () => {
    const name = 'secure-cookie-over-http';
    expect((await probeLab(lab, name)).verdict.status).toBe('fail');
    const finding = evaluateTopology(toLabTopology(lab, 0)).find((f) => f.service === name && f.rule === 'secure-cookie-over-http');
    expect(finding?.fix?.labelsToAdd).toBeDefined();

    const edited = await applied(lab.editLabels(name, { set: finding!.fix!.labelsToAdd, remove: finding!.fix!.labelsToRemove }));
    expect(edited.edited).toBe(true);
    expect(errorRules(name)).toEqual([]);
    expect(await setCookieOf(name)).not.toMatch(/Secure/);
    const after = await probeLab(lab, name);
    expect(after.verdict.status).toBe('pass');
    expect(Object.keys(after.verdict.replicas)).toHaveLength(1);

    const reset = await applied(lab.resetLabels(name));
    expect(reset.edited).toBe(false);
    expect(reset.labels).toEqual(reset.scenario.labels);
    expect(errorRules(name)).toContain('secure-cookie-over-http');
    expect((await probeLab(lab, name)).verdict.status).toBe('fail');
  });

  it('adding a sticky cookie to no-sticky pins users from the next request on', async () => {
    expect((await probeLab(lab, 'no-sticky')).verdict.status).toBe('fail');
    await applied(lab.editLabels('no-sticky', { set: { 'traefik.http.services.no-sticky.loadbalancer.sticky.cookie': 'true' }, remove: [] }));
    expect(errorRules('no-sticky')).toEqual([]);
    expect((await probeLab(lab, 'no-sticky')).verdict.status).toBe('pass');
  });

  it('refuses labels Traefik would reject and keeps the previous ones, in the lab and on the wire', async () => {
    const name = 'secure-cookie-over-http';
    const before = serviceOf(name);
    const result = await lab.editLabels(name, { set: { 'traefik.http.services.secure-cookie-over-http.loadbalancer.sticky.cookie.secure': 'nope' }, remove: [] });
    expect(result).toMatchObject({ ok: false, code: 'invalid-labels', issues: [expect.stringMatching(/Not a boolean/)] });
    expect(serviceOf(name)).toBe(before);
    expect(await setCookieOf(name)).toMatch(/; Secure/);
  });

  it('refuses a service that is not the lab’s own', async () => {
    const result = await lab.editLabels('shop_web', { set: { 'traefik.enable': 'false' }, remove: [] });
    expect(result).toMatchObject({ ok: false, code: 'not-a-lab-service', message: expect.stringMatching(/never changes a real cluster/) });
  });

  it('applies concurrent edits one after the other, so none is lost', async () => {
    const key = (field: string) => `traefik.http.services.sticky-ok.loadbalancer.sticky.cookie.${field}`;
    await Promise.all([
      applied(lab.editLabels('sticky-ok', { set: { [key('name')]: 'pinned' }, remove: [] })),
      applied(lab.editLabels('sticky-ok', { set: { [key('httponly')]: 'false' }, remove: [] })),
    ]);
    expect(serviceOf('sticky-ok').labels).toMatchObject({ [key('name')]: 'pinned', [key('httponly')]: 'false' });
    expect(await setCookieOf('sticky-ok')).toMatch(/^pinned=[0-9a-f]{16}; Path=\/; SameSite=Lax$/);
  });

  it('an edit that needs a new lbswarm VIP reaches requests whole: never the new cookie with the old servers', async () => {
    const name = 'sticky-ok';
    const replicaValues = new Set(serviceOf(name).replicas.map((r) => encodeStickyCookie(r.server.url, 'sha256-16')));
    const edit = applied(
      lab.editLabels(name, {
        set: { 'traefik.swarm.lbswarm': 'true', 'traefik.http.services.sticky-ok.loadbalancer.sticky.cookie.name': 'via_vip' },
        remove: [],
      }),
    );
    let done = false;
    void edit.finally(() => (done = true));
    const seen: string[] = [];
    // Requests keep flowing while the VIP starts; a few more once the edit is in.
    for (let after = 0; after < 5 && seen.length < 500; ) {
      seen.push(await setCookieOf(name));
      if (done) after++;
    }
    const vipValue = encodeStickyCookie((await edit).vipUrl!, 'sha256-16');
    for (const cookie of seen) {
      const [pair] = cookie.split(';');
      const [cookieName, value] = pair!.split('=');
      if (cookieName === 'via_vip') expect(value).toBe(vipValue);
      else expect(replicaValues.has(value!)).toBe(true);
    }
    expect(seen.at(-1)).toMatch(/^via_vip=/);
    expect(errorRules(name)).toContain('lbswarm-defeats-sticky');
  });
});
