// The demo lab end to end on real loopback sockets: the real probe engine against each scenario, and the findings
// on the lab's topology.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { evaluateTopology } from '@/lib/affinity/evaluate';
import { toLabTopology } from './topology';
import { startLab, type Lab } from './lab';
import { LAB_BALANCER_HEADER } from './balancer';
import { SESSION_COOKIE } from './replica';
import { labHost, type LabScenarioName } from './scenarios';
import { probeLab } from './test/probe';
import { plainRequest } from './test/request';

let lab: Lab;

beforeAll(async () => {
  lab = await startLab();
});

afterAll(async () => {
  await lab?.stop();
});

const probe = (scenario: LabScenarioName, path?: string, requests?: number) => probeLab(lab, scenario, path, requests);

describe('demo lab', () => {
  it('listens on loopback only and marks its responses as the lab balancer', async () => {
    expect(lab.address).toBe('127.0.0.1');
    const res = await plainRequest(`http://127.0.0.1:${lab.port}/`, { host: labHost('sticky-ok') });
    expect(res.headers[LAB_BALANCER_HEADER]).toMatch(/stickyscope/);
    expect(res.headers['set-cookie']?.[0]).toMatch(/^_[0-9a-f]{5}=[0-9a-f]{16}; Path=\/; HttpOnly; SameSite=Lax$/);
  });

  it('replicas keep a session counter, and another replica visibly lacks it', async () => {
    const get = async (cookie?: string) => {
      const res = await plainRequest(`http://127.0.0.1:${lab.port}/app`, { host: labHost('no-sticky'), cookie });
      return { body: JSON.parse(res.body) as { replica: string; session: { count: number; lost: boolean } }, res };
    };
    const first = await get();
    expect(first.body.session).toMatchObject({ count: 1, lost: false });
    const sid = (first.res.headers['set-cookie'] ?? []).find((c) => c.startsWith(`${SESSION_COOKIE}=`))?.split(';')[0];
    const second = await get(sid);
    expect(second.body.replica).not.toBe(first.body.replica);
    expect(second.body.session).toMatchObject({ count: 1, lost: true });
  });

  it('sticky-ok passes', async () => {
    const r = await probe('sticky-ok');
    expect(r.verdict.errors.total).toBe(0);
    expect(r.verdict.status).toBe('pass');
    expect(r.expectation.holds).toBe(true);
    expect(Object.keys(r.verdict.replicas)).toHaveLength(1);
  });

  it('no-sticky fails', async () => {
    const r = await probe('no-sticky');
    expect(r.expectation.holds).toBe(false);
    expect(r.verdict.status).toBe('fail');
    expect(Object.keys(r.verdict.replicas).length).toBeGreaterThan(1);
  });

  it('secure-cookie-over-http fails with the Secure diagnosis', async () => {
    const r = await probe('secure-cookie-over-http');
    expect(r.expectation.holds).toBe(false);
    expect(r.verdict.status).toBe('fail');
    expect(r.diagnosis.map((d) => d.code)).toContain('secure-cookie-over-http');
  });

  it('lbswarm fails: the cookie pins the VIP, not a replica', async () => {
    const r = await probe('lbswarm');
    expect(r.expectation.holds).toBe(false);
    expect(r.verdict.status).toBe('fail');
    expect(Object.keys(r.verdict.replicas).length).toBeGreaterThan(1);
  });

  it('samesite-none-insecure fails', async () => {
    const r = await probe('samesite-none-insecure');
    expect(r.expectation.holds).toBe(false);
    expect(r.verdict.status).toBe('fail');
    expect(r.diagnosis.map((d) => d.code)).toContain('samesite-none-insecure');
  });

  it('split-routers: / is sticky, /socket.io is not', async () => {
    expect((await probe('split-routers', '/')).expectation.holds).toBe(true);
    expect((await probe('split-routers', '/socket.io/')).expectation.holds).toBe(false);
  });

  it('scaled-away fails: the pinned replica goes away, the user is re-pinned and loses the session', async () => {
    const r = await probe('scaled-away');
    expect(r.verdict.status).toBe('fail');
    expect(r.verdict.errors.total).toBe(0);
    expect(r.diagnosis.map((d) => d.code)).toContain('balancer-cookie-repinned');
    const topology = toLabTopology(lab, 0);
    const service = topology.services.find((s) => s.name === 'scaled-away');
    // 20 requests, and every replica is replaced after 10: both pinned replicas went away.
    expect(service?.tasks.filter((t) => t.state === 'shutdown')).toHaveLength(2);
    expect(service?.servers.every((s) => service.tasks.find((t) => t.id === s.taskId)?.state === 'running')).toBe(true);
  });

  it('reports the matching rule on each scenario service, and none on sticky-ok', () => {
    const findings = evaluateTopology(toLabTopology(lab, 0));
    const rulesOf = (service: string) => findings.filter((f) => f.service === service && f.severity === 'error').map((f) => f.rule);
    expect(rulesOf('sticky-ok')).toEqual([]);
    expect(rulesOf('scaled-away')).toEqual([]);
    expect(rulesOf('no-sticky')).toContain('no-sticky');
    expect(rulesOf('secure-cookie-over-http')).toContain('secure-cookie-over-http');
    expect(rulesOf('lbswarm')).toContain('lbswarm-defeats-sticky');
    expect(rulesOf('split-routers')).toContain('split-routers');
    expect(rulesOf('samesite-none-insecure')).toContain('samesite-none-without-secure');
    expect(rulesOf('shiny-dt')).toContain('secure-cookie-over-http');
  });
});
