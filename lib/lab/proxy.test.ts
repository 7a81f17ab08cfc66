// The lab's reverse proxy answers for a response it cannot write, instead of taking the dashboard down with it.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { forward, LAB_BALANCER_HEADER } from './proxy';

let upstream: http.Server;
let front: http.Server;
let base = '';
const agent = new http.Agent({ keepAlive: false });

beforeAll(async () => {
  upstream = http.createServer((_req, res) => res.end('Hostname: app-1\n'));
  await new Promise<void>((r) => upstream.listen(0, '127.0.0.1', r));
  const target = `http://127.0.0.1:${(upstream.address() as AddressInfo).port}`;
  front = http.createServer((req, res) => forward(req, res, target, agent, { [LAB_BALANCER_HEADER]: 'lab', 'set-cookie': ['a=1\r\nX-Evil: 1'] }));
  await new Promise<void>((r) => front.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(front.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise<void>((r) => front.close(() => r()));
  await new Promise<void>((r) => upstream.close(() => r()));
});

describe('lab proxy', () => {
  it('answers 502 with the reason when a header cannot be written, and keeps serving', async () => {
    for (let i = 0; i < 2; i++) {
      const res = await fetch(base);
      expect(res.status).toBe(502);
      expect(res.headers.get('x-evil')).toBeNull();
      expect(await res.text()).toMatch(/Bad Gateway: .*Set-Cookie|set-cookie/i);
    }
  });
});
