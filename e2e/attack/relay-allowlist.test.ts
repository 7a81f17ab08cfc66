// Finding 1, SSRF through the relay allowlist: an allowed host written with a trailing dot passed the allowlist (which
// compared normalised hosts) while the transport picked the address override by the raw host and connected wherever
// the override said, on any port. Both relay routes (and the held-socket route since) reached arbitrary loopback ports, the dashboard's own included.
import { describe, expect, it } from 'vitest';
import { ALLOWED_HOST } from './dashboard';
import { relayBody, socketOpenBody, upgradeBody } from './relay-client';
import { sendJson } from './same-origin';
import { useAttackTarget } from './use-target';

const target = useAttackTarget();

type ErrorBody = { error?: { code?: string; message?: string } };

function errorOf(json: unknown): { code?: string; message?: string } {
  return (json as ErrorBody | null)?.error ?? {};
}

describe('relay allowlist bypass with a trailing-dot host and an address override (SSRF)', () => {
  it('relays to the allowed host through its override, as the Probe page does (control)', async () => {
    const t = target();
    const before = t.allowed.requests().length;
    const body = await relayBody({ url: `http://${ALLOWED_HOST}:${t.allowed.port}/`, headers: ['x-attack-id', 'control'] }, {
      resolve: [{ host: ALLOWED_HOST, port: t.allowed.port, address: '127.0.0.1' }],
    });
    const answer = await sendJson(t, 'POST', '/api/relay', body);
    expect(answer.status).toBe(200);
    expect(answer.json).toMatchObject({ ok: true, status: 200, headers: { 'x-attack-echo': 'control' } });
    expect(t.allowed.requests().length - before).toBe(1);
  });

  const BODIES = { '/api/relay': relayBody, '/api/relay/upgrade': upgradeBody, '/api/relay/socket': socketOpenBody } as const;
  for (const route of Object.keys(BODIES) as (keyof typeof BODIES)[]) {
    const build = (url: string, resolve: { host: string; port: number; address: string }[]) => BODIES[route]({ url }, { resolve });

    it(`refuses http://allowed.test.:<forbidden port>/ with the override allowed.test.:<forbidden port>:127.0.0.1 on POST ${route}`, async () => {
      const t = target();
      const port = t.forbidden.port;
      const before = t.forbidden.bytes();
      const answer = await sendJson(t, 'POST', route, await build(`http://${ALLOWED_HOST}.:${port}/`, [{ host: `${ALLOWED_HOST}.`, port, address: '127.0.0.1' }]));
      expect(t.forbidden.bytes() - before, 'bytes at the forbidden capture server').toBe(0);
      expect(answer.status).toBe(403);
      expect(errorOf(answer.json).code).toBe('target-not-allowed');
    });

    it(`refuses the same bypass aimed at the dashboard's own port on POST ${route}`, async () => {
      const t = target();
      const answer = await sendJson(t, 'POST', route, await build(`http://${ALLOWED_HOST}.:${t.port}/api/health`, [{ host: `${ALLOWED_HOST}.`, port: t.port, address: '127.0.0.1' }]));
      expect(answer.status).toBe(403);
      expect(errorOf(answer.json).code).toBe('target-not-allowed');
    });

    it(`refuses the bypass through a Traefik router host of the demo lab (sticky-ok.lab.test.) on POST ${route}`, async () => {
      const t = target();
      const port = t.forbidden.port;
      const before = t.forbidden.bytes();
      const answer = await sendJson(t, 'POST', route, await build(`http://STICKY-OK.lab.test.:${port}/`, [{ host: 'STICKY-OK.lab.test.', port, address: '127.0.0.1' }]));
      expect(t.forbidden.bytes() - before, 'bytes at the forbidden capture server').toBe(0);
      expect(answer.status).toBe(403);
      expect(errorOf(answer.json).code).toBe('target-not-allowed');
    });
  }

  it('refuses an address override that matches no allowed target, with a message naming STICKYSCOPE_ALLOWED_TARGETS', async () => {
    const t = target();
    const before = t.allowed.requests().length;
    const forbiddenBefore = t.forbidden.bytes();
    const body = await relayBody({ url: `http://${ALLOWED_HOST}:${t.allowed.port}/` }, {
      resolve: [
        { host: ALLOWED_HOST, port: t.allowed.port, address: '127.0.0.1' },
        { host: 'elsewhere.test', port: t.forbidden.port, address: '127.0.0.1' },
      ],
    });
    const answer = await sendJson(t, 'POST', '/api/relay', body);
    expect(answer.status).toBeGreaterThanOrEqual(400);
    expect(answer.status).toBeLessThan(500);
    expect(errorOf(answer.json).message).toContain('STICKYSCOPE_ALLOWED_TARGETS');
    expect(t.allowed.requests().length - before).toBe(0);
    expect(t.forbidden.bytes() - forbiddenBefore).toBe(0);
  });

  for (const address of ['169.254.169.254', '[fd00:ec2::254]', '::ffff:169.254.169.254']) {
    it(`refuses an address override to the metadata address ${address}`, async () => {
      const t = target();
      const body = await relayBody({ url: `http://${ALLOWED_HOST}:${t.allowed.port}/latest/meta-data/` }, { resolve: [{ host: ALLOWED_HOST, port: t.allowed.port, address }] });
      const answer = await sendJson(t, 'POST', '/api/relay', body);
      expect(answer.status).toBeGreaterThanOrEqual(400);
      expect(answer.status).toBeLessThan(500);
      expect(errorOf(answer.json).message).toMatch(/STICKYSCOPE_ALLOWED_TARGETS|link-local|metadata/);
    });
  }
});
