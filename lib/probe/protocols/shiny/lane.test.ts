// The Shiny lane's decisions over scripted Shiny replicas (test/scripted-shiny.ts): what
// counts as a break, a session that ended on its own, an app without session routes. The real thing is in
// e2e/integration/shiny-haproxy.test.ts.
import { describe, expect, it } from 'vitest';
import { runProbe } from '../../engine';
import { parseProbeSpec, type ProbeSpecInput } from '../../spec';
import type { ProbeTransport } from '../../types';
import { scriptedShiny } from './test/scripted-shiny';

const spec = (over: Omit<ProbeSpecInput, 'target'> = {}) => parseProbeSpec({ target: 'http://shiny.test/', intervalMs: 0, requests: 10, ...over });

describe('Shiny lane', () => {
  it('round robin: the route answers 404 elsewhere, a break pinned to the request and the session', async () => {
    const r = await runProbe(spec(), scriptedShiny().transport);
    expect(r.records.map((x) => x.protocol?.phase)).toEqual(['page', 'connect', ...Array(8).fill('route')]);
    // The socket went to replica 2 (the page took replica 1); round robin sends the first route request to replica 3.
    expect(r.records[2]).toMatchObject({ status: 404, protocol: { outcome: 'break', session: r.records[1]!.protocol!.session } });
    expect(r.verdict).toMatchObject({ status: 'fail', firstBreakAt: 3 });
    expect(r.diagnosis[0]).toMatchObject({ code: 'shiny-route-lost', atIndex: 3 });
  });

  it('cookie insert: every route request reached the session; the sockets are closed at the end', async () => {
    const lab = scriptedShiny({ sticky: true });
    const r = await runProbe(spec({ concurrency: 2 }), lab.transport);
    expect(r.records.filter((x) => x.protocol?.outcome !== 'ok')).toEqual([]);
    expect(r.verdict.status).toBe('pass');
    const held = lab.sessions.flatMap((s) => [...s.values()]);
    expect(held).toHaveLength(2);
    for (const q of held) expect(q.closed).toEqual({ code: 1000, reason: '' });
  });

  it('a 404 after the session ended on its own is an error, not a break, and the next step opens a new session', async () => {
    const r = await runProbe(spec(), scriptedShiny({ sticky: true, endAfterRoutes: 3 }).transport);
    const ended = r.records.find((x) => x.protocol?.phase === 'route' && x.status === 404)!;
    expect(ended.protocol?.outcome).toBe('error');
    expect(ended.error?.message).toBe('the session had ended before this request (its socket closed with code 1001, server restarted); the next request opens a new one');
    expect(r.records[ended.index]!.protocol?.phase).toBe('connect');
    expect(r.verdict.firstBreakAt).toBeNull();
  });

  it('no session route: reconnects compared by worker id, and the run says what it could not prove', async () => {
    const rr = await runProbe(spec(), scriptedShiny({ routes: false, workerIds: true }).transport);
    expect(rr.records.map((x) => x.protocol?.phase)).toEqual(['page', 'connect', ...Array(8).fill('reconnect')]);
    expect(rr.records[1]).toMatchObject({ replica: 'w1', identitySource: 'shiny:workerId' });
    expect(rr.verdict).toMatchObject({ status: 'fail', firstBreakAt: 3 });
    expect(rr.protocol.shiny?.unproved).toContain('whether requests reach the process holding the session: the app handed out no session route (no server-side DT table, download or file upload)');
    expect(rr.diagnosis.map((d) => d.code)).toEqual(expect.arrayContaining(['shiny-no-route', 'shiny-worker-changed']));

    const plain = await runProbe(spec(), scriptedShiny({ routes: false }).transport);
    expect(plain.verdict.status).toBe('inconclusive');
    expect(plain.protocol.shiny?.unproved).toContain('which process each session landed on: the server sets no worker id and no response named a replica');
  });

  it('a balancer that refuses the WebSocket is named as the problem', async () => {
    const { transport } = scriptedShiny();
    const refusing: ProbeTransport = { ...transport, openSocket: async () => ({ ok: true, status: 400, headers: {}, setCookie: [], bodyPrefix: 'Bad Request', bodyTruncated: false, ttfbMs: null, socket: null }) };
    const r = await runProbe(spec({ requests: 3 }), refusing);
    expect(r.records[1]!.error?.message).toBe('the WebSocket at /websocket/ was refused with HTTP 400: Shiny needs the balancer to pass WebSocket upgrades through to the app');
    expect(r.diagnosis[0]).toMatchObject({ code: 'shiny-error', severity: 'error', atIndex: 2 });
  });

  it('a page that is not Shiny is an error that explains itself', async () => {
    const transport: ProbeTransport = { seesCookies: true, send: async () => ({ ok: true, status: 200, headers: {}, setCookie: [], bodyPrefix: '<html>shop</html>', bodyTruncated: false, ttfbMs: null }) };
    const r = await runProbe(spec({ protocol: 'shiny', requests: 2 }), transport);
    expect(r.records[0]!.error?.message).toBe('the page is not a Shiny page: it has no html-dependencies listing shiny and loads no shiny.js');
    expect(r.diagnosis.find((d) => d.code === 'shiny-error')?.severity).toBe('error');
  });
});
