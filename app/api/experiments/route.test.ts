// The experiments route over a real SQLite journal: a body it cannot read is refused, sized, and logged.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import type { ExperimentsStatus } from '@/lib/experiments/types';
import { parseCidrList } from '@/lib/net/address';

const dir = mkdtempSync(path.join(os.tmpdir(), 'stickyscope-experiments-api-'));

vi.mock('@/lib/env', () => ({
  getConfig: () => ({
    reportsDbPath: path.join(dir, 'reports.db'),
    databaseUrl: null,
    lab: true,
    clusters: [{ id: 'default', name: 'test', docker: null, traefik: null }],
    allowedTargets: [],
    refreshIntervalMs: 5000,
    experiments: { enabled: true, services: ['web-*'], haproxyRuntimeApi: null },
    web: { port: 3000, publicUrl: null, allowedHosts: [], sharePort: null, shareUrl: null, trustedProxies: parseCidrList('10.0.0.0/8').entries },
  }),
}));
vi.mock('@/lib/topology', () => ({ getTopology: async () => ({ services: [] }) }));

const route = await import('./route');
const { getReportStore } = await import('@/lib/reports');

afterAll(async () => {
  await (await getReportStore()).close();
  rmSync(dir, { recursive: true, force: true });
});

const post = (body: string, contentType = 'application/json', headers: Record<string, string> = {}) =>
  route.POST(
    new Request('http://dashboard.test/api/experiments', { method: 'POST', body, headers: { 'content-type': contentType, 'user-agent': 'route test', ...headers } }),
  );

async function lastLogged() {
  const status = (await (await route.GET()).json()) as ExperimentsStatus;
  return status.log[0];
}

describe('POST /api/experiments', () => {
  it('refuses a body over 16 KiB before parsing it, and logs the refusal', async () => {
    const response = await post(JSON.stringify({ step: 'preview', service: 'x'.repeat(17 * 1024) }));
    expect(response.status).toBe(413);
    expect(await lastLogged()).toMatchObject({ step: 'request', who: 'dashboard unknown address (route test)', action: null, message: 'request body is larger than 16 KiB' });
  });

  it('takes JSON only, and names what a request looks like', async () => {
    const form = await post('step=preview', 'application/x-www-form-urlencoded');
    expect(form.status).toBe(400);
    expect(((await form.json()) as { error: { message: string } }).error.message).toMatch(/Content-Type: application\/json \(an experiment request is/);
    expect(await lastLogged()).toMatchObject({ step: 'request', message: expect.stringMatching(/Content-Type/) });
    expect((await post('{')).status).toBe(400);
  });

  it('refuses an invalid request, and an action this server cannot run, logging both', async () => {
    const invalid = await post(JSON.stringify({ step: 'preview', action: 'delete-service', service: 'web-sticky', taskId: 'abc' }));
    expect(invalid.status).toBe(400);
    expect(await lastLogged()).toMatchObject({ step: 'request', message: expect.stringMatching(/^invalid experiment request: action/) });
    const unavailable = await post(JSON.stringify({ step: 'preview', action: 'restart', service: 'web-sticky', taskId: 'abc', replica: null }));
    expect(unavailable.status).toBe(409);
    expect(await lastLogged()).toMatchObject({ step: 'preview', action: 'restart', result: 'refused', message: expect.stringMatching(/demo lab has no Docker engine/) });
  });

  it('logs who asked by the socket peer, and believes X-Forwarded-For only from a trusted proxy', async () => {
    const invalid = JSON.stringify({ step: 'preview' });
    await post(invalid, 'application/json', { 'x-stickyscope-peer': '198.51.100.7', 'x-forwarded-for': '127.0.0.1', 'x-real-ip': '127.0.0.1' });
    expect(await lastLogged()).toMatchObject({ who: 'dashboard 198.51.100.7 (route test)' });
    await post(invalid, 'application/json', { 'x-stickyscope-peer': '10.0.0.2', 'x-forwarded-for': '127.0.0.1, 203.0.113.9' });
    expect(await lastLogged()).toMatchObject({ who: 'dashboard 203.0.113.9 (route test)' });
  });
});
