// Finding 4, DNS rebinding: the dashboard answered any Host header, so a web page whose name was rebound to the
// dashboard's address could read the whole API from the visitor's browser (and, with the relay, reach the network).
import { describe, expect, it } from 'vitest';
import type { AttackTarget } from './dashboard';
import type { RawRequest } from './raw-http';
import { relayBody } from './relay-client';
import { sameOriginHeaders } from './same-origin';
import { useAttackTarget } from './use-target';

const target = useAttackTarget();

type Destination = { name: string; request: (t: AttackTarget) => Promise<Omit<RawRequest, 'host'>> };

async function staticAssetPath(t: AttackTarget): Promise<string> {
  const home = await t.send({ method: 'GET', path: '/' });
  const path = /\/_next\/static\/[^"'\s]+\.js/.exec(home.body.toString('utf8'))?.[0];
  if (!path) throw new Error('the home page names no static script');
  return path;
}

const destinations: Destination[] = [
  { name: 'a page (/)', request: async () => ({ method: 'GET', path: '/' }) },
  { name: 'an API route (GET /api/topology)', request: async () => ({ method: 'GET', path: '/api/topology' }) },
  { name: 'a static asset', request: async (t) => ({ method: 'GET', path: await staticAssetPath(t) }) },
  {
    name: 'the direct relay route (POST /api/relay)',
    request: async (t) => ({
      method: 'POST',
      path: '/api/relay',
      headers: sameOriginHeaders(t).filter(([name]) => name !== 'Origin'),
      body: JSON.stringify(await relayBody({ url: `http://allowed.test:${t.allowed.port}/` }, { resolve: [{ host: 'allowed.test', port: t.allowed.port, address: '127.0.0.1' }] })),
    }),
  },
];

describe('DNS rebinding: requests whose Host is not the dashboard', () => {
  for (const d of destinations) {
    it(`answers 421 for Host: evil.example and Host: evil.example:<port> on ${d.name}`, async () => {
      const t = target();
      const before = t.allowed.requests().length;
      const request = await d.request(t);
      const bare = await t.send({ ...request, host: 'evil.example' });
      const withPort = await t.send({ ...request, host: `evil.example:${t.port}` });
      expect([bare.status, withPort.status]).toEqual([421, 421]);
      expect(t.allowed.requests().length - before).toBe(0);
    });

    it(`serves Host: 127.0.0.1:<port> and Host: localhost:<port> on ${d.name}`, async () => {
      const t = target();
      const request = await d.request(t);
      const ip = await t.send({ ...request, host: `127.0.0.1:${t.port}` });
      const name = await t.send({ ...request, host: `localhost:${t.port}` });
      expect([ip.status, name.status]).toEqual([200, 200]);
    });
  }
});
