// The Shiny protocol over SockJS, as Shiny Server and Posit Connect serve it: three replicas running a real SockJS
// server (npm `sockjs`, scripts/lab/sockjs-shiny-replica.mjs) carrying Shiny-shaped messages, behind Debian's HAProxy.
// The replica stands in for Shiny Server, which Debian does not package. Two more frontends refuse WebSocket upgrades
// (HTTP 400), as a proxy without WebSocket support does, so the session falls back to SockJS's xhr transports.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseProbeSpec, runProbe, type ProbeResult, type ProbeSpecInput } from '@/lib/probe';
import { nodeTransportFor } from '@/lib/probe/protocols/upgrade-node';
import { nodeReplica, startHaproxyLab, type HaproxyLab } from '../../scripts/lab/haproxy.mjs';

let lab: HaproxyLab;
let dir: string;

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'stickyscope-sockjs-'));
  lab = await startHaproxyLab({ dir, replicaCommand: nodeReplica('sockjs-shiny-replica.mjs') });
}, 60_000);

afterAll(async () => {
  await lab?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

async function probe(input: ProbeSpecInput): Promise<ProbeResult> {
  const spec = parseProbeSpec({ requests: 12, ...input });
  const transport = nodeTransportFor(spec);
  try {
    return await runProbe(spec, transport);
  } finally {
    await transport.close();
  }
}

describe('Shiny over SockJS behind HAProxy', () => {
  it('auto detects Shiny Server’s SockJS client and speaks SockJS, multiplexed, with the worker id', async () => {
    const r = await probe({ target: lab.urls.sticky });
    expect(r.protocol.detection.reason).toBe("the page lists shiny-javascript 1.7.4 in its html-dependencies, and Shiny Server's SockJS client (__sockjs__) carries its session");
    const connect = r.records[1]!;
    expect(connect).toMatchObject({ status: 101, protocol: { phase: 'connect', outcome: 'ok', shiny: { transport: 'sockjs-websocket', workerId: expect.stringMatching(/^replica-[123]$/) } } });
    expect(r.protocol.shiny).toMatchObject({ transport: 'sockjs-websocket', probed: { kind: 'dataobj', output: 'table' }, workers: [connect.protocol!.shiny!.workerId] });
    expect(r.records.filter((x) => x.protocol?.outcome !== 'ok')).toEqual([]);
    expect(r.verdict.status).toBe('pass');
  });

  it('round robin: FAIL, the route answers 404 on the processes that do not hold the SockJS session', async () => {
    const r = await probe({ target: lab.urls.roundRobin });
    const worker = r.records[1]!.protocol!.shiny!.workerId;
    expect(r.verdict.status).toBe('fail');
    expect(r.diagnosis[0]).toMatchObject({ code: 'shiny-route-lost' });
    expect(r.diagnosis[0]!.message).toContain(`was opened at request 2 on ${worker}`);
  });

  it('three users at once, each with its own SockJS session: PASS with the cookie', async () => {
    const r = await probe({ target: lab.urls.sticky, requests: 24, concurrency: 3, protocol: 'shiny' });
    expect(r.protocol.shiny?.sessions).toEqual({ opened: 3, configured: 3 });
    expect(r.records.filter((x) => x.protocol?.outcome !== 'ok')).toEqual([]);
    expect(r.verdict.status).toBe('pass');
  });

  it('WebSocket refused by the balancer: falls back to xhr-streaming, as a browser does, and PASSes with the cookie', async () => {
    const r = await probe({ target: lab.urls.stickyNoUpgrade });
    const connect = r.records[1]!;
    expect(connect).toMatchObject({ status: 200, protocol: { phase: 'connect', outcome: 'ok', shiny: { transport: 'sockjs-xhr-streaming' } } });
    expect(connect.protocol!.shiny!.fallback).toMatch(/^the WebSocket at \/__sockjs__\/\d{3}\/[a-z0-9]{8}\/websocket was refused with HTTP 400$/);
    expect(r.protocol.shiny).toMatchObject({ transport: 'sockjs-xhr-streaming', fallback: connect.protocol!.shiny!.fallback, probed: { kind: 'dataobj', output: 'table' } });
    // Route requests and xhr_sends take turns, and every one reached the process holding the session.
    expect(r.records.slice(2).map((x) => [x.protocol?.phase, x.status])).toEqual(Array.from({ length: 10 }, (_, i) => (i % 2 === 0 ? ['route', 200] : ['send', 204])));
    expect(r.diagnosis.map((d) => d.code)).toContain('shiny-transport-fallback');
    expect(r.verdict.status).toBe('pass');
  });

  it('xhr-polling forced where WebSocket works: speaks it, no fallback, PASS with the cookie', async () => {
    const r = await probe({ target: lab.urls.sticky, shiny: { transport: 'xhr-polling' } });
    expect(r.protocol.shiny).toMatchObject({ transport: 'sockjs-xhr-polling', sessions: { opened: 1, configured: 1 } });
    expect(r.protocol.shiny!.fallback).toBeUndefined();
    expect(r.protocol.phases.send).toMatchObject({ ok: 5, break: 0, error: 0 });
    expect(r.records.filter((x) => x.protocol?.outcome !== 'ok')).toEqual([]);
    expect(r.verdict.status).toBe('pass');
  });

  it('round robin without WebSocket: FAIL, each xhr_send reaches a process that does not hold the SockJS session (404)', async () => {
    const r = await probe({ target: lab.urls.roundRobinNoUpgrade });
    expect(r.verdict.status).toBe('fail');
    const lost = r.diagnosis.find((d) => d.code === 'shiny-sockjs-lost')!;
    const first = r.records.find((x) => x.protocol?.outcome === 'break')!;
    expect(first).toMatchObject({ status: 404, protocol: { shiny: { transport: 'sockjs-xhr-streaming' } } });
    expect(lost).toMatchObject({ severity: 'error', atIndex: first.index });
    expect(lost.message).toContain(`for users on SockJS's xhr-streaming: request ${first.index}`);
    expect(lost.message).toContain('answered HTTP 404 from a process that does not hold the SockJS session');
  });

  it('xhr-polling forced on round robin: FAIL with the same 404 evidence', async () => {
    const r = await probe({ target: lab.urls.roundRobin, shiny: { transport: 'xhr-polling' } });
    expect(r.verdict.status).toBe('fail');
    expect(r.protocol.shiny?.transport).toBe('sockjs-xhr-polling');
    expect(r.diagnosis[0]).toMatchObject({ code: 'shiny-sockjs-lost' });
    expect(r.diagnosis[0]!.message).toContain("users on SockJS's xhr-polling");
  });
});

describe('Shiny over SockJS whose server refuses WebSocket (Shiny Server with WebSocket disabled)', () => {
  let refusing: HaproxyLab;
  let refusingDir: string;

  beforeAll(async () => {
    refusingDir = mkdtempSync(path.join(os.tmpdir(), 'stickyscope-sockjs-nows-'));
    refusing = await startHaproxyLab({ dir: refusingDir, replicaCommand: nodeReplica('sockjs-shiny-replica.mjs'), replicaEnv: { SOCKJS_WEBSOCKET: 'off' } });
  }, 60_000);

  afterAll(async () => {
    await refusing?.stop();
    if (refusingDir) rmSync(refusingDir, { recursive: true, force: true });
  });

  it('falls back to xhr-streaming through a balancer that passes upgrades, and PASSes with the cookie', async () => {
    const r = await probe({ target: refusing.urls.sticky });
    expect(r.protocol.shiny).toMatchObject({ transport: 'sockjs-xhr-streaming', sessions: { opened: 1, configured: 1 } });
    expect(r.protocol.shiny!.fallback).toMatch(/^the WebSocket at \/__sockjs__\/\S+\/websocket (was refused with HTTP \d{3}|closed \(code \d+\) before SockJS opened the session)$/);
    expect(r.verdict.status).toBe('pass');
  });

  it('forcing the WebSocket there fails the connect with the refusal, and does not fall back', async () => {
    const r = await probe({ target: refusing.urls.sticky, requests: 3, shiny: { transport: 'websocket' } });
    expect(r.protocol.shiny?.transport).toBe('sockjs-websocket');
    expect(r.protocol.shiny?.fallback).toBeUndefined();
    expect(r.records.slice(1).every((x) => x.protocol?.phase === 'connect' && x.protocol.outcome === 'error')).toBe(true);
  });
});

