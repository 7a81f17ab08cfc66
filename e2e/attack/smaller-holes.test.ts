// Finding 6, the smaller holes, one describe each: relay transports evicted under other clients' traffic, cross-site
// form posts, missing page headers, CR/LF in a lab label, a spoofable "who" in the experiment log, share URLs built
// from forwarded headers, and 500s for bad escapes and header bytes on the upgrade route.
import { describe, expect, it } from 'vitest';
import { until } from '../integration/until';
import { ALLOWED_HOST, type AttackTarget } from './dashboard';
import type { WireResponse } from './http-wire';
import type { RawHeader } from './raw-http';
import { RelayBodies, relayBody, upgradeBody } from './relay-client';
import { sameOriginHeaders, sendJson } from './same-origin';
import { useAttackTarget } from './use-target';

const target = useAttackTarget();

const viaOverride = (t: AttackTarget) => [{ host: ALLOWED_HOST, port: t.allowed.port, address: '127.0.0.1' }];

describe('(a) one client evicting another client’s relay transport', () => {
  it('completes a request held in flight while another client relays to 40 distinct destinations', async () => {
    const t = target();
    const heldBody = await relayBody({ url: `http://${ALLOWED_HOST}:${t.allowed.port}/held`, headers: ['x-attack-id', 'held', 'x-capture-hold', 'held'] }, { resolve: viaOverride(t), timeoutMs: 20_000 });
    const held = sendJson(t, 'POST', '/api/relay', heldBody);
    await until('the held request to reach the allowed capture server', async () => t.allowed.requests().some((r) => r.target === '/held'), 10_000);
    // The other client's run: each timeout makes another destination (origin, overrides, TLS, timeout, connections).
    const other = new RelayBodies({ resolve: viaOverride(t) });
    for (let i = 0; i < 40; i++) {
      const body = { ...(await other.relay({ url: `http://${ALLOWED_HOST}:${t.allowed.port}/other/${i}`, headers: ['x-attack-id', `other-${i}`] })), timeoutMs: 3000 + i };
      const answer = await sendJson(t, 'POST', '/api/relay', body);
      expect(answer.json).toMatchObject({ ok: true, headers: { 'x-attack-echo': `other-${i}` } });
    }
    t.allowed.release('held');
    expect((await held).json).toMatchObject({ ok: true, status: 200, headers: { 'x-attack-echo': 'held' } });
  });
});

describe('(b) cross-site form post to a state-changing route', () => {
  it('refuses POST /api/lab/services/sticky-ok/reset sent as a form from https://evil.example with 403', async () => {
    const t = target();
    const answer = await t.send({
      method: 'POST',
      path: '/api/lab/services/sticky-ok/reset',
      headers: [
        ['Content-Type', 'application/x-www-form-urlencoded'],
        ['Origin', 'https://evil.example'],
        ['Sec-Fetch-Site', 'cross-site'],
      ],
      body: 'a=1',
    });
    expect(answer.status).toBe(403);
  });

  it('refuses a cross-site JSON relay call with 403, and nothing is relayed', async () => {
    const t = target();
    const before = t.allowed.requests().length;
    const answer = await sendJson(t, 'POST', '/api/relay', await relayBody({ url: `http://${ALLOWED_HOST}:${t.allowed.port}/` }, { resolve: viaOverride(t) }), [
      ['Origin', 'https://evil.example'],
      ['Sec-Fetch-Site', 'cross-site'],
    ]);
    expect(answer.status).toBe(403);
    expect(t.allowed.requests().length - before).toBe(0);
  });
});

describe('(c) security headers on every response', () => {
  const responses: { name: string; get: (t: AttackTarget) => Promise<WireResponse> }[] = [
    { name: 'a page', get: (t) => t.send({ method: 'GET', path: '/' }) },
    { name: 'a missing page (404)', get: (t) => t.send({ method: 'GET', path: '/no-such-page' }) },
    { name: 'a JSON route', get: (t) => t.send({ method: 'GET', path: '/api/health' }) },
    {
      name: 'a static asset',
      get: async (t) => {
        const home = await t.send({ method: 'GET', path: '/' });
        return t.send({ method: 'GET', path: /\/_next\/static\/[^"'\s]+\.js/.exec(home.body.toString('utf8'))?.[0] ?? '/_next/static/missing.js' });
      },
    },
    {
      name: 'the direct relay route',
      get: async (t) =>
        t.send({ method: 'POST', path: '/api/relay', headers: sameOriginHeaders(t), body: JSON.stringify(await relayBody({ url: `http://${ALLOWED_HOST}:${t.allowed.port}/` }, { resolve: viaOverride(t) })) }),
    },
    { name: 'a refused relay call (400)', get: (t) => t.send({ method: 'POST', path: '/api/relay', headers: sameOriginHeaders(t), body: '{}' }) },
  ];
  for (const r of responses) {
    it(`sends CSP with frame-ancestors 'none' and no unsafe-eval, nosniff, Referrer-Policy and Permissions-Policy on ${r.name}`, async () => {
      const answer = await r.get(target());
      const csp = answer.headers['content-security-policy'] ?? '';
      expect(csp).toMatch(/frame-ancestors 'none'/);
      expect(csp).not.toContain('unsafe-eval');
      expect(answer.headers['x-content-type-options']).toBe('nosniff');
      expect(answer.headers['referrer-policy']).toBeTruthy();
      expect(answer.headers['permissions-policy']).toBeTruthy();
    });
  }
});

describe('(d) CR/LF in a lab label value', () => {
  const COOKIE_NAME = 'traefik.http.services.sticky-ok.loadbalancer.sticky.cookie.name';
  const probeStickyOk = (t: AttackTarget) => {
    const host = 'sticky-ok.lab.test';
    return relayBody({ url: `http://${host}:${t.lab.port}/` }, { resolve: [{ host, port: t.lab.port, address: t.lab.address }] }).then((body) => sendJson(t, 'POST', '/api/relay', body));
  };

  it('probes sticky-ok through the relay before any edit (control)', async () => {
    expect((await probeStickyOk(target())).json).toMatchObject({ ok: true, status: 200 });
  });

  it('refuses a sticky cookie name with CR LF (4xx), and the lab balancer still serves sticky-ok through the relay', async () => {
    const t = target();
    try {
      const edit = await sendJson(t, 'PATCH', '/api/lab/services/sticky-ok/labels', { set: { [COOKIE_NAME]: 'a\r\nb' } });
      const probe = await probeStickyOk(t);
      expect(await t.healthy(), 'the server survived a probe of the edited service').toBe(true);
      expect(edit.status).toBeGreaterThanOrEqual(400);
      expect(edit.status).toBeLessThan(500);
      expect(probe.json).toMatchObject({ ok: true, status: 200 });
    } finally {
      if (await t.healthy()) await sendJson(t, 'POST', '/api/lab/services/sticky-ok/reset', {});
    }
  });

  it('refuses a sticky cookie name with U+010D U+010A or makes it harmless: the balancer serves, no header line is split', async () => {
    const t = target();
    try {
      const edit = await sendJson(t, 'PATCH', '/api/lab/services/sticky-ok/labels', { set: { [COOKIE_NAME]: 'a\u010d\u010ab' } });
      const probe = await probeStickyOk(t);
      expect(await t.healthy(), 'the server survived a probe of the edited service').toBe(true);
      expect(edit.status).toBeLessThan(500);
      expect(probe.json).toMatchObject({ ok: true, status: 200 });
      const setCookie = (probe.json as { setCookie?: string[] }).setCookie ?? [];
      expect(setCookie.filter((line) => /[^\t\x20-\x7e\x80-\xff]/.test(line))).toEqual([]);
    } finally {
      if (await t.healthy()) await sendJson(t, 'POST', '/api/lab/services/sticky-ok/reset', {});
    }
  });
});

describe('(e) who the experiment log records', () => {
  // Experiments need Docker, but a refused request is logged too (experiments are off here), with the same "who".
  it('records the socket peer, not a spoofed X-Forwarded-For or X-Real-IP', async () => {
    const t = target();
    const agent = `attack-suite-${Date.now()}`;
    const refused = await sendJson(t, 'POST', '/api/experiments', { step: 'preview', action: 'kill-task', service: 'sticky-ok', taskId: 'abc123', replica: null }, [
      ['X-Forwarded-For', '203.0.113.66, 127.0.0.1'],
      ['X-Real-IP', '203.0.113.67'],
      ['User-Agent', agent],
    ]);
    expect(refused.status).toBeGreaterThanOrEqual(400);
    const status = await sendJson(t, 'GET', '/api/experiments');
    const entry = (status.json as { log?: { who: string }[] }).log?.find((e) => e.who.includes(agent));
    expect(entry, 'the refused request is in the experiment log').toBeDefined();
    expect(entry!.who).not.toMatch(/203\.0\.113\.6[67]/);
    expect(entry!.who).toContain('127.0.0.1');
  });
});

describe('(f) share URLs built from forwarded headers', () => {
  const forwarded: RawHeader[] = [
    ['X-Forwarded-Proto', 'javascript'],
    ['X-Forwarded-Host', 'evil.example'],
  ];

  it('builds the share URL of an import from the dashboard’s own origin, not X-Forwarded-Proto/Host', async () => {
    const t = target();
    const report = {
      schemaVersion: 2,
      id: 'attack-forwarded',
      status: 'complete',
      startedAt: 1_760_000_000_000,
      endedAt: 1_760_000_060_000,
      dashboardVersion: '0.1.0',
      spec: { target: 'http://app.example/' },
      records: [],
      outcome: null,
      topology: null,
      experiments: [],
      redaction: { onShare: true, stripQuery: false, applied: null },
    };
    const imported = await sendJson(t, 'POST', '/api/reports', report, forwarded);
    expect(imported.status).toBe(201);
    const { shareUrl, reportUrl } = imported.json as { shareUrl: string; reportUrl: string };
    expect(shareUrl.startsWith(`${t.base}/r/`), shareUrl).toBe(true);
    expect(reportUrl.startsWith(`${t.base}/`), reportUrl).toBe(true);
  });

  it('builds a new share link of a report from the dashboard’s own origin', async () => {
    const t = target();
    const created = await sendJson(t, 'POST', '/api/reports/runs', { spec: { target: 'http://app.example/' }, startedAt: Date.now() });
    const share = await sendJson(t, 'POST', `/api/reports/${(created.json as { id: string }).id}/shares`, {}, forwarded);
    expect(share.status).toBe(201);
    expect((share.json as { shareUrl: string }).shareUrl.startsWith(`${t.base}/r/`)).toBe(true);
  });
});

describe('(g) bad escapes in paths and header bytes on the upgrade route', () => {
  const paths = [
    ['GET', '/api/reports/%ff'],
    ['POST', '/api/reports/%ff/records'],
    ['POST', '/api/reports/%ff/finish'],
    ['POST', '/api/lab/services/%ff/reset'],
    ['PATCH', '/api/lab/services/%ff/labels'],
    ['GET', '/r/%ff'],
    ['GET', '/reports/%ff'],
    ['GET', '/services/%ff'],
  ] as const;
  for (const [method, path] of paths) {
    it(`answers ${method} ${path} with 4xx, not 500`, async () => {
      const t = target();
      const answer = await t.send({ method, path, headers: sameOriginHeaders(t), ...(method === 'GET' ? {} : { body: '{}' }) });
      expect(answer.status).toBeGreaterThanOrEqual(400);
      expect(answer.status).toBeLessThan(500);
    });
  }

  it('answers header values above U+00FF on POST /api/relay/upgrade with 4xx, not 500', async () => {
    const t = target();
    const url = `http://${ALLOWED_HOST}:${t.allowed.port}/`;
    const answers = [
      await sendJson(t, 'POST', '/api/relay/upgrade', await upgradeBody({ url, headers: ['x-name', 'Dvo\u0159\u00e1k \u010c'] }, { resolve: viaOverride(t) })),
      await sendJson(t, 'POST', '/api/relay/upgrade', await upgradeBody({ url, cookie: 'sid=\u2603' }, { resolve: viaOverride(t) })),
    ];
    expect(answers.map((a) => a.status >= 400 && a.status < 500)).toEqual([true, true]);
    expect(answers.map((a) => typeof (a.json as { error?: { message?: unknown } } | null)?.error?.message)).toEqual(['string', 'string']);
  });
});
