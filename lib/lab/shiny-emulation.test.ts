// The shiny-dt scenario on real loopback sockets: its replicas emulate Shiny's session and DT route, each holding
// its own sessions; the probe (Node transport, protocol auto) detects Shiny through the lab balancer, fails on the
// Secure cookie, and passes once the finding's own fix is applied.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { evaluateTopology } from '@/lib/affinity/evaluate';
import { startLab, type Lab } from './lab';
import { REPLICA_HEADER } from './replica';
import { labHost, labScenarios } from './scenarios';
import { EMULATED_SHINY_VERSION, EMULATION_HEADER } from './shiny-emulation';
import { probeLab } from './test/probe';
import { plainRequest } from './test/request';
import { toLabTopology } from './topology';

const NAME = 'shiny-dt';
const host = labHost(NAME);
let lab: Lab;

beforeAll(async () => {
  lab = await startLab(labScenarios.filter((s) => s.name === NAME));
});

afterEach(async () => {
  await lab.resetLabels(NAME);
});

afterAll(async () => {
  await lab?.stop();
});

const replicaUrls = () =>
  lab.services
    .find((s) => s.scenario.name === NAME)!
    .replicas.filter((r) => r.server.alive)
    .map((r) => r.server.url);

/** A Shiny session on one replica: the socket, and the frames up to `values`. */
async function openSession(base: string): Promise<{ ws: WebSocket; frames: string[]; headers: Record<string, string | string[] | undefined> }> {
  const ws = new WebSocket(`${base.replace(/^http/, 'ws')}/websocket/`, { headers: { host } });
  const frames: string[] = [];
  let headers: Record<string, string | string[] | undefined> = {};
  ws.on('upgrade', (res) => (headers = res.headers));
  await new Promise<void>((resolve, reject) => {
    ws.on('error', reject);
    ws.on('message', (data) => {
      frames.push(data.toString());
      if (frames.at(-1)!.includes('"values"')) resolve();
    });
    ws.on('open', () => ws.send(JSON.stringify({ method: 'init', data: { '.clientdata_output_table_hidden': false } })));
  });
  return { ws, frames, headers };
}

describe('shiny-dt replicas (Shiny emulation)', () => {
  it('serve a page declaring Shiny and a DT output, marked as an emulation on every response', async () => {
    const [base] = replicaUrls();
    const page = await plainRequest(`${base}/`, { host });
    expect(page.status).toBe(200);
    expect(page.body).toContain(`shiny-javascript[${EMULATED_SHINY_VERSION}]`);
    expect(page.body).toMatch(/class="datatables html-widget html-widget-output[^"]*" id="table"/);
    expect(page.body).toContain('not Shiny');
    expect(page.headers[EMULATION_HEADER]).toMatch(/not R Shiny/);
    const missing = await plainRequest(`${base}/nothing`, { host });
    expect([missing.status, missing.headers[EMULATION_HEADER]]).toEqual([404, page.headers[EMULATION_HEADER]]);
  });

  it('answer a session route only on the replica holding the session, 404 elsewhere, until the socket closes', async () => {
    const [own, other] = replicaUrls();
    const { ws, frames, headers } = await openSession(own!);
    expect(headers[EMULATION_HEADER]).toMatch(/not R Shiny/);
    expect(headers[REPLICA_HEADER]).toBe(`${NAME}-1`);
    const config = JSON.parse(frames[0]!) as { config: { sessionId: string; workerId: string } };
    expect(config.config.workerId).toBe('');
    const url = /"url":"(session\/[0-9a-f]{32}\/dataobj\/table\?w=&nonce=[0-9a-f]+)"/.exec(frames.join(''))?.[1];
    expect(url).toContain(config.config.sessionId);
    const form = 'draw=3&start=0&length=10&search%5Bvalue%5D=';
    const post = (base: string) => plainRequest(`${base}/${url}`, { host, method: 'POST', body: form });
    const here = await post(own!);
    expect(here.status).toBe(200);
    expect(JSON.parse(here.body)).toMatchObject({ draw: 3, recordsTotal: 25 });
    expect((JSON.parse(here.body) as { data: unknown[] }).data).toHaveLength(10);
    const there = await post(other!);
    expect([there.status, there.body]).toEqual([404, '<h1>Not Found</h1>']);
    await new Promise<void>((resolve) => {
      ws.once('close', () => resolve());
      ws.close();
    });
    await expect.poll(async () => (await post(own!)).status, { timeout: 5000 }).toBe(404);
  });

  it('behind the Secure cookie over http a probe with protocol auto detects Shiny and fails on the DT route; the fix makes it pass', async () => {
    const failed = await probeLab(lab, NAME, '/', 30);
    expect(failed.protocol.detection).toMatchObject({ requested: 'auto', protocol: 'shiny', atIndex: 1 });
    expect(failed.protocol.detection.reason).toContain(EMULATED_SHINY_VERSION);
    expect(failed.protocol.shiny?.probed).toEqual({ kind: 'dataobj', output: 'table' });
    expect(failed.verdict.status).toBe('fail');
    const lost = failed.diagnosis.find((d) => d.code === 'shiny-route-lost');
    expect(lost?.message).toContain('DataTables warning: Ajax error');
    expect(lost?.message).toContain('Secure');

    const finding = evaluateTopology(toLabTopology(lab, 0)).find((f) => f.service === NAME && f.rule === 'secure-cookie-over-http');
    expect(finding?.fix).toBeTruthy();
    const edit = await lab.editLabels(NAME, { set: finding!.fix!.labelsToAdd, remove: finding!.fix!.labelsToRemove });
    expect(edit.ok).toBe(true);

    const passed = await probeLab(lab, NAME, '/', 30);
    expect(passed.verdict.status).toBe('pass');
    expect(passed.protocol.phases.route).toMatchObject({ ok: 28, break: 0, error: 0 });
    expect(passed.diagnosis.map((d) => d.code)).toContain('shiny-route-kept');
  });
});

describe('a lab with Shiny sessions open', () => {
  it('stops at once: the sockets taken over by upgrades are ended with their servers', async () => {
    const own = await startLab(labScenarios.filter((s) => s.name === NAME));
    const { ws } = await openSession(`http://127.0.0.1:${own.port}`);
    const closed = new Promise<void>((resolve) => ws.once('close', () => resolve()));
    await own.stop();
    await closed;
  });
});
