// Probe records for the report benches, made by the real engine (Node transport, browser cookie rules, identity
// auto) against a small cookie-sticky balancer on loopback, then replayed with new indexes up to the size wanted.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { runProbe } from '@/lib/probe/engine';
import { parseProbeSpec } from '@/lib/probe/spec';
import { createNodeTransport } from '@/lib/probe/transport-node';
import type { ProbeRecord } from '@/lib/probe/types';

export type StickyServerOptions = {
  /** The app renews its session cookie on every response, as rolling sessions do, so every record sets a cookie. */
  rollingSession?: boolean;
};

/** A balancer in miniature: pins a client to one of three replicas with an `SRV` cookie, and the app sets a session. */
function startStickyServer(options: StickyServerOptions): Promise<{ url: string; close: () => Promise<void> }> {
  let next = 0;
  let sessions = 0;
  const server = http.createServer((req, res) => {
    const pinned = /(?:^|;\s*)SRV=r(\d)/.exec(req.headers.cookie ?? '')?.[1];
    const replica = pinned ?? String((next++ % 3) + 1);
    const session = `session=s${Date.now().toString(36)}${(sessions++).toString(36)}; Path=/; HttpOnly; SameSite=Lax`;
    if (!pinned) res.setHeader('Set-Cookie', [`SRV=r${replica}; Path=/; HttpOnly`, session]);
    else if (options.rollingSession) res.setHeader('Set-Cookie', session);
    res.setHeader('Content-Type', 'text/plain');
    res.end(`Hostname: replica-${replica}\nIP: 127.0.0.1\n`);
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () =>
      resolve({
        url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`,
        close: () => new Promise((done) => server.close(() => done())),
      }),
    ),
  );
}

/** 1,000 records of a real run, and the spec that ran them. */
export async function realRecords(options: StickyServerOptions = {}) {
  const server = await startStickyServer(options);
  const spec = parseProbeSpec({ target: server.url, requests: 1000, intervalMs: 0, cookies: 'browser', identity: 'auto', balancerCookie: 'SRV' });
  const transport = createNodeTransport({ timeoutMs: spec.timeoutMs, connections: 1 });
  try {
    const result = await runProbe(spec, transport);
    if (result.verdict.errors.total > 0) throw new Error(`${result.verdict.errors.total} probe requests failed`);
    return { spec, templates: result.records };
  } finally {
    await transport.close();
    await server.close();
  }
}

/** `count` records with indexes 1..count, cycling through `templates` and moving their times on with each cycle. */
export function replay(templates: readonly ProbeRecord[], count: number): ProbeRecord[] {
  const span = (templates.at(-1)?.startedAt ?? 0) + 1;
  return Array.from({ length: count }, (_, i) => {
    const t = templates[i % templates.length]!;
    return { ...t, index: i + 1, startedAt: t.startedAt + Math.floor(i / templates.length) * span };
  });
}
