// Publishing a CLI run: a real probe against a cookie-inserting server on 127.0.0.1, exported, and sent to a real HTTP
// server playing the dashboard's `POST /api/reports` (accepting, refusing, or not a dashboard at all).
import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InputError } from '@/lib/errors';
import { runProbe } from '@/lib/probe/engine';
import { parseProbeSpec } from '@/lib/probe/spec';
import { createNodeTransport } from '@/lib/probe/transport-node';
import { toRunReport } from '@/lib/reports/run-export';
import { parseReport, type Report } from '@/lib/reports/schema';
import { closedLoopbackPort, listenOnLoopback } from '@/lib/test/loopback';
import { parseDashboardUrl, publishReport, PublishError } from './publish-report';

let server: http.Server;
let base = '';
let closedPort = 0;
let received: Report | null = null;

beforeAll(async () => {
  server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const path = req.url ?? '/';
      if (path === '/app/') {
        // The probed target: a sticky balancer of two replicas.
        const pinned = /SRV=(a|b)/.exec(req.headers.cookie ?? '')?.[1];
        if (!pinned) res.setHeader('Set-Cookie', 'SRV=a; Path=/; HttpOnly');
        return res.end(`Hostname: app-${pinned ?? 'a'}\n`);
      }
      if (path === '/dash/api/reports' && req.method === 'POST') {
        received = parseReport(JSON.parse(Buffer.concat(chunks).toString('utf8')));
        res.writeHead(201, { 'content-type': 'application/json' });
        return res.end(JSON.stringify({ id: 'r1', shareUrl: 'http://dash.example/r/abc', status: 'complete', extra: true }));
      }
      if (path === '/refuses/api/reports') {
        res.writeHead(400, { 'content-type': 'application/json' });
        return res.end(JSON.stringify({ error: { code: 'invalid-input', message: 'invalid report: records.0.status: expected number' } }));
      }
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end('<html>a login page</html>');
    });
  });
  base = await listenOnLoopback(server);
  closedPort = await closedLoopbackPort();
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((r) => server.close(() => r()));
});

async function cliRun() {
  const transport = createNodeTransport({ timeoutMs: 5000 });
  try {
    return await runProbe(parseProbeSpec({ target: `${base}/app/`, requests: 12, intervalMs: 0 }), transport);
  } finally {
    await transport.close();
  }
}

describe('--report-to', () => {
  it('takes a dashboard base URL, with or without a path prefix, and refuses anything else', () => {
    expect(parseDashboardUrl('http://dash.example:3000').href).toBe('http://dash.example:3000/');
    expect(parseDashboardUrl('https://tools.example/stickyscope?x=1#y').href).toBe('https://tools.example/stickyscope/');
    expect(() => parseDashboardUrl('dash.example')).toThrow(InputError);
    expect(() => parseDashboardUrl('ftp://dash.example')).toThrow(/http or https/);
    expect(() => parseDashboardUrl('http://user:pw@dash.example')).toThrow(/credentials/);
  });

  it('sends the whole run as an exported report and returns the share link', async () => {
    const result = await cliRun();
    const published = await publishReport(parseDashboardUrl(`${base}/dash`), toRunReport(result));
    expect(published).toEqual({ id: 'r1', shareUrl: 'http://dash.example/r/abc' });
    expect(received).toMatchObject({ status: 'complete', outcome: { ended: 'completed', verdict: { status: 'pass' } }, topology: null });
    expect(received?.records).toHaveLength(12);
    expect(received?.records).toEqual(result.records);
    expect(received?.endedAt).toBe(result.startedAt + Math.round(result.durationMs));
  });

  it('says why a publish failed: refused, not a dashboard, or unreachable', async () => {
    const report = toRunReport(await cliRun());
    await expect(publishReport(parseDashboardUrl(`${base}/refuses`), report)).rejects.toThrow(/answered HTTP 400: invalid report: records\.0\.status/);
    await expect(publishReport(parseDashboardUrl(`${base}/elsewhere`), report)).rejects.toThrow(/not with a report id and share link/);
    const unreachable = publishReport(parseDashboardUrl(`http://127.0.0.1:${closedPort}`), report);
    await expect(unreachable).rejects.toBeInstanceOf(PublishError);
    await expect(unreachable).rejects.toThrow(/could not be reached: .*ECONNREFUSED/);
  });
});
