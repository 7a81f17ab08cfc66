// Finding 2, header injection and request smuggling: the relay schemas refused only a literal CR, LF or NUL, but the
// request head was encoded as latin1, which keeps the low byte of each character: U+010D U+010A arrived as CR LF.
// A second request was smuggled to an allowed target, and its answer went to the next relay caller that shared the
// kept-alive connection.
import { describe, expect, it } from 'vitest';
import { ALLOWED_HOST } from './dashboard';
import { RelayBodies, upgradeBody, socketOpenBody } from './relay-client';
import { sendJson } from './same-origin';
import { useAttackTarget } from './use-target';

const target = useAttackTarget();

const SMUGGLED = `\u010d\u010a\u010d\u010aGET /smuggled HTTP/1.1\u010d\u010aHost: ${ALLOWED_HOST}\u010d\u010ax-attack-id: smuggled\u010d\u010a\u010d\u010a`;

/** One probe run to the allowed target: its calls share the run's kept-alive connection, as a smuggler would want. */
function runToAllowed(port: number) {
  const run = new RelayBodies({ resolve: [{ host: ALLOWED_HOST, port, address: '127.0.0.1' }] });
  return (options: { headers?: string[]; cookie?: string | null } = {}) => run.relay({ url: `http://${ALLOWED_HOST}:${port}/`, ...options });
}

function headerNames(requests: readonly { headers: { name: string }[] }[]): string[] {
  return requests.flatMap((r) => r.headers.map((h) => h.name));
}

describe('header injection through characters above U+00FF (U+010D U+010A sent as CR LF)', () => {
  it('refuses U+010D U+010A in a relay header value with 400 invalid-input; no header line is injected', async () => {
    const t = target();
    const before = t.allowed.requests().length;
    const answer = await sendJson(t, 'POST', '/api/relay', await runToAllowed(t.allowed.port)({ headers: ['x-note', 'a\u010d\u010aInjected: yes'] }));
    const arrived = t.allowed.requests().slice(before);
    expect(headerNames(arrived)).not.toContain('injected');
    expect(answer.status).toBe(400);
    expect(answer.json).toMatchObject({ error: { code: 'invalid-input' } });
    expect(arrived).toHaveLength(0);
  });

  it('refuses U+010D U+010A in the relay cookie with 400 invalid-input; no header line is injected', async () => {
    const t = target();
    const before = t.allowed.requests().length;
    const answer = await sendJson(t, 'POST', '/api/relay', await runToAllowed(t.allowed.port)({ cookie: 'sid=1\u010d\u010aInjected: yes' }));
    const arrived = t.allowed.requests().slice(before);
    expect(headerNames(arrived)).not.toContain('injected');
    expect(answer.status).toBe(400);
    expect(answer.json).toMatchObject({ error: { code: 'invalid-input' } });
    expect(arrived).toHaveLength(0);
  });

  it('refuses U+010D U+010A in a header value and in the cookie on POST /api/relay/upgrade with 400', async () => {
    const t = target();
    const port = t.allowed.port;
    const resolve = [{ host: ALLOWED_HOST, port, address: '127.0.0.1' }];
    const url = `http://${ALLOWED_HOST}:${port}/`;
    const header = await sendJson(t, 'POST', '/api/relay/upgrade', await upgradeBody({ url, headers: ['x-note', 'a\u010d\u010aInjected: yes'] }, { resolve }));
    const cookie = await sendJson(t, 'POST', '/api/relay/upgrade', await upgradeBody({ url, cookie: 'sid=1\u010d\u010aInjected: yes' }, { resolve }));
    expect([header.status, cookie.status]).toEqual([400, 400]);
    expect(headerNames(t.allowed.requests())).not.toContain('injected');
  });

  it('refuses U+010D U+010A in a header value and in the cookie on POST /api/relay/socket with 400', async () => {
    const t = target();
    const port = t.allowed.port;
    const resolve = [{ host: ALLOWED_HOST, port, address: '127.0.0.1' }];
    const url = `http://${ALLOWED_HOST}:${port}/websocket/`;
    const before = t.allowed.requests().length;
    const header = await sendJson(t, 'POST', '/api/relay/socket', await socketOpenBody({ url, headers: ['x-note', 'a\u010d\u010aInjected: yes'] }, { resolve }));
    const cookie = await sendJson(t, 'POST', '/api/relay/socket', await socketOpenBody({ url, cookie: 'sid=1\u010d\u010aInjected: yes' }, { resolve }));
    expect([header.status, cookie.status]).toEqual([400, 400]);
    expect(t.allowed.requests().length).toBe(before);
  });
});

describe('request smuggling to an allowed target through the relay', () => {
  it('sends no second request, and the next caller on the shared connection gets its own answer', async () => {
    const t = target();
    const call = runToAllowed(t.allowed.port);
    const before = t.allowed.requests().length;

    const attacker = await sendJson(t, 'POST', '/api/relay', await call({ headers: ['x-attack-id', 'attacker', 'x-note', `a${SMUGGLED}`] }));
    expect(attacker.status).toBe(400);

    const victim = await sendJson(t, 'POST', '/api/relay', await call({ headers: ['x-attack-id', 'victim'] }));
    const arrived = t.allowed.requests().slice(before);
    expect(arrived.map((r) => r.target)).not.toContain('/smuggled');
    expect(victim.status).toBe(200);
    expect(victim.json).toMatchObject({ ok: true, headers: { 'x-attack-echo': 'victim', 'x-replica': `allowed-${t.allowed.requests().length}` } });
    expect(arrived).toHaveLength(1);
    expect(t.allowed.malformed()).toEqual([]);
  });

  it('sends no second request smuggled in the cookie', async () => {
    const t = target();
    const call = runToAllowed(t.allowed.port);
    const before = t.allowed.requests().length;
    const attacker = await sendJson(t, 'POST', '/api/relay', await call({ headers: ['x-attack-id', 'attacker'], cookie: `sid=1${SMUGGLED}` }));
    expect(attacker.status).toBe(400);
    const victim = await sendJson(t, 'POST', '/api/relay', await call({ headers: ['x-attack-id', 'victim-2'] }));
    expect(victim.json).toMatchObject({ ok: true, headers: { 'x-attack-echo': 'victim-2' } });
    expect(t.allowed.requests().slice(before).map((r) => r.target)).toEqual(['/']);
  });
});
