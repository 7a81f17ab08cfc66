// Raw engine.io v4 HTTP long polling against the lab's replicas, directly and through the lab balancer: a polling
// session lives in one replica's memory, so a request for it on another replica answers "Session ID unknown".
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { LAB_BALANCER_HEADER } from './balancer';
import { startLab, type Lab } from './lab';
import { REPLICA_HEADER, SOCKET_IO_PATH } from './replica';
import { labHost } from './scenarios';
import { probeLab } from './test/probe';
import { cookiePairs, plainRequest, type PlainResponse } from './test/request';

let lab: Lab;

beforeAll(async () => {
  lab = await startLab();
});

afterAll(async () => {
  await lab?.stop();
});

const SESSION_UNKNOWN = { code: 1, message: 'Session ID unknown' };
const host = labHost('split-routers');
const polling = (sid?: string) => `${SOCKET_IO_PATH}?EIO=4&transport=polling${sid ? `&sid=${encodeURIComponent(sid)}` : ''}`;

function replicaUrls(): string[] {
  const service = lab.services.find((s) => s.scenario.name === 'split-routers')!;
  return service.replicas.filter((r) => r.server.alive).map((r) => r.server.url);
}

/** The handshake: `0{"sid":…}` from the replica that now holds the session. */
async function handshake(base: string, cookie?: string): Promise<{ sid: string; replica: string; response: PlainResponse }> {
  const response = await plainRequest(`${base}${polling()}`, { host, cookie });
  expect(response.status).toBe(200);
  expect(response.body.startsWith('0{')).toBe(true);
  const { sid } = JSON.parse(response.body.slice(1)) as { sid: string };
  return { sid, replica: String(response.headers[REPLICA_HEADER]), response };
}

const post = (base: string, sid: string, body: string, cookie?: string) => plainRequest(`${base}${polling(sid)}`, { host, method: 'POST', body, cookie });

describe('socket.io on lab replicas', () => {
  it('speaks engine.io polling on the replica that holds the session, and refuses the session elsewhere', async () => {
    const [own, other] = replicaUrls();
    const session = await handshake(own!);
    expect(session.replica).toBe('split-routers-1');

    const connect = await post(own!, session.sid, '40');
    expect([connect.status, connect.body]).toEqual([200, 'ok']);
    const poll = await plainRequest(`${own}${polling(session.sid)}`, { host });
    expect(poll.body).toMatch(/^40\{"sid":"[^"]+"\}/);
    expect(poll.body).toContain('42["replica",{"replica":"split-routers-1"');

    const elsewhere = await post(other!, session.sid, '3');
    expect(elsewhere.status).toBe(400);
    expect(JSON.parse(elsewhere.body)).toEqual(SESSION_UNKNOWN);
    expect(elsewhere.headers[REPLICA_HEADER]).toBe('split-routers-2');

    const pong = await post(own!, session.sid, '3');
    expect([pong.status, pong.body, pong.headers[REPLICA_HEADER]]).toEqual([200, 'ok', 'split-routers-1']);
  });

  it('split-routers reproduces the failure: the sticky cookie of / does not pin /socket.io/', async () => {
    const balancer = `http://127.0.0.1:${lab.port}`;
    const page = await plainRequest(`${balancer}/`, { host });
    const cookie = cookiePairs(page);
    expect(cookie).toMatch(/^_[0-9a-f]{5}=/);
    const session = await handshake(balancer, cookie);
    expect(session.response.headers[LAB_BALANCER_HEADER]).toBeDefined();

    const answers: { replica: string; status: number; body: string }[] = [];
    // Round robin over three replicas: within three POSTs one lands back on the session's replica.
    for (let i = 0; i < 3 && !answers.some((a) => a.replica === session.replica); i++) {
      const r = await post(balancer, session.sid, '3', cookie);
      answers.push({ replica: String(r.headers[REPLICA_HEADER]), status: r.status, body: r.body });
    }
    const lost = answers.filter((a) => a.replica !== session.replica);
    expect(lost.length).toBeGreaterThan(0);
    for (const a of lost) expect([a.status, JSON.parse(a.body)]).toEqual([400, SESSION_UNKNOWN]);
    expect(answers.filter((a) => a.replica === session.replica)).toEqual([{ replica: session.replica, status: 200, body: 'ok' }]);
  });

  it('after the label fix (/socket.io/ to the sticky service), every POST reaches the session’s replica', async () => {
    const edit = await lab.editLabels('split-routers', { set: { 'traefik.http.routers.split-routers-ws.service': 'split-routers' }, remove: [] });
    expect(edit.ok).toBe(true);
    try {
      const balancer = `http://127.0.0.1:${lab.port}`;
      const cookie = cookiePairs(await plainRequest(`${balancer}/`, { host }));
      const session = await handshake(balancer, cookie);
      for (let i = 0; i < 4; i++) {
        const r = await post(balancer, session.sid, '3', cookie);
        expect([r.status, r.body, r.headers[REPLICA_HEADER]]).toEqual([200, 'ok', session.replica]);
      }
    } finally {
      await lab.resetLabels('split-routers');
    }
  });

  it('upgrades to WebSocket through the lab balancer', async () => {
    const socket = new WebSocket(`ws://127.0.0.1:${lab.port}${SOCKET_IO_PATH}?EIO=4&transport=websocket`, { headers: { host } });
    try {
      const [marker, open] = await Promise.all([
        new Promise<string | undefined>((resolve) => socket.once('upgrade', (res) => resolve(res.headers[LAB_BALANCER_HEADER] as string | undefined))),
        new Promise<string>((resolve, reject) => {
          socket.once('message', (data: Buffer) => resolve(data.toString()));
          socket.once('error', reject);
        }),
      ]);
      expect(marker).toMatch(/stickyscope/);
      expect(open).toMatch(/^0\{"sid":/);
    } finally {
      socket.terminate();
    }
  });

  it('an engine.io probe of sticky-ok passes with the WebSocket upgrade, and every answer, the 101 included, names its replica', async () => {
    const result = await probeLab(lab, 'sticky-ok', SOCKET_IO_PATH, 10, { protocol: 'engineio' });
    const replicas = lab.services.find((s) => s.scenario.name === 'sticky-ok')!.replicas.map((r) => r.hostname);
    expect(result.records.at(-1)?.protocol?.phase).toBe('upgrade');
    expect(result.verdict.status).toBe('pass');
    for (const record of result.records) {
      expect(record.identitySource).toBe(`header:${REPLICA_HEADER}`);
      expect(replicas).toContain(record.replica);
    }
  });
});
