// The report API end to end over its route handlers and a real SQLite store in a temp folder.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { REPORT_LIMITS } from '@/lib/reports/limits';
import { REPORT_SCHEMA_VERSION, type Report } from '@/lib/reports/schema';
import { testExperiment, testRecords, testSpec, TRAEFIK_VALUES } from '@/lib/reports/test/fixtures';
import { aRouter, aService, aTopology } from '@/lib/affinity/test-model';
import { replayRecords, toReportOutcome } from '@/lib/reports/outcome';

const dir = mkdtempSync(path.join(os.tmpdir(), 'stickyscope-report-api-'));
// The probed service has no sticky cookie (a `no-sticky` finding); its neighbour's findings must stay out of the report.
const topology = aTopology([
  aService({ id: 'svc-web', sticky: null, labelSticky: null, routers: [aRouter({ hosts: ['shop.example'] })] }),
  aService({ id: 'svc-api', name: 'shop_api', sticky: null, labelSticky: null, routers: [aRouter({ hosts: ['api.example'] })] }),
]);

vi.mock('@/lib/env', () => ({
  getConfig: () => ({
    reportsDbPath: path.join(dir, 'reports.db'),
    lab: false,
    clusters: [],
    allowedTargets: [],
    refreshIntervalMs: 5000,
    web: { port: 3000, publicUrl: null, allowedHosts: [], sharePort: null, shareUrl: null, trustedProxies: [] },
  }),
}));
vi.mock('@/lib/topology', () => ({
  getTopology: async () => topology,
}));

const { call } = await import('./test/dispatch');
const { getReportStore } = await import('@/lib/reports');

afterAll(async () => {
  await (await getReportStore()).close();
  rmSync(dir, { recursive: true, force: true });
});

const spec = testSpec({ target: 'http://shop.example/login' });
const startedAt = Date.parse('2026-01-15T10:00:00Z');

async function runReport(n = 200, over: { serviceId?: string; startedAt?: number } = {}): Promise<string> {
  const created = await call('/api/reports/runs', { json: { spec, startedAt: over.startedAt ?? startedAt, serviceId: over.serviceId ?? null } });
  expect(created.status).toBe(201);
  const id = String(created.body.id);
  const records = testRecords(n);
  for (let i = 0; i < records.length; i += 64) {
    const batch = await call(`/api/reports/${id}/records`, { json: { records: records.slice(i, i + 64) } });
    expect(batch.status).toBe(200);
  }
  const outcome = toReportOutcome('completed', replayRecords(spec, records), spec);
  const finished = await call(`/api/reports/${id}/finish`, { json: { status: 'complete', endedAt: startedAt + 5000, outcome } });
  expect(finished.body).toEqual({ id, status: 'complete', records: n });
  return id;
}

describe('report API', () => {
  it('records a run with its topology snapshot, and exports it as JSON and CSV without caching', async () => {
    const id = await runReport(200);
    const exported = await call(`/api/reports/${id}?download=1`);
    expect(exported.status).toBe(200);
    expect(exported.headers.get('cache-control')).toBe('no-store');
    expect(exported.headers.get('content-disposition')).toBe(`attachment; filename="stickyscope-shop.example-2026-01-15-${id}.json"`);
    const report = exported.body as unknown as Report;
    expect(report).toMatchObject({ id, status: 'complete', schemaVersion: REPORT_SCHEMA_VERSION, dashboardVersion: '0.1.0', startedAt, endedAt: startedAt + 5000 });
    expect(report.records).toEqual(testRecords(200));
    // Found by the target's host; the page may also name the service.
    expect(report.topology?.service.id).toBe('svc-web');
    expect(report.topology?.findings.map((f) => [f.service, f.rule])).toContainEqual(['shop_web', 'no-sticky']);
    expect(report.topology?.findings.every((f) => f.service === 'shop_web')).toBe(true);
    const named = (await call(`/api/reports/${await runReport(1, { serviceId: 'svc-api' })}`)).body as unknown as Report;
    expect(named.topology?.service.id).toBe('svc-api');

    const csv = await call(`/api/reports/${id}/records`);
    expect(csv.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    const lines = csv.text.trimEnd().split('\r\n');
    expect(lines).toHaveLength(201);
    expect(lines[1]).toContain(TRAEFIK_VALUES[0]);
  });

  it('refuses bad input with the problems listed, and writes to unknown or finished reports with 404 and 409', async () => {
    const bad = await call('/api/reports/runs', { json: { spec: { target: 'ftp://x' }, startedAt: 1, extra: 1 } });
    expect(bad.status).toBe(400);
    const issues = (bad.body as unknown as { error: { issues: string[] } }).error.issues.join('\n');
    expect(issues).toContain('spec.target');
    expect(issues).toContain('extra');

    const unordered = await call('/api/reports/nope/records', { json: { records: [...testRecords(3)].reverse() } });
    expect(unordered.status).toBe(400);
    expect(JSON.stringify(unordered.body)).toContain('rising index order');
    expect((await call('/api/reports/nope/records', { json: { records: testRecords(3) } })).status).toBe(404);

    const id = await runReport(10);
    const late = await call(`/api/reports/${id}/records`, { json: { records: testRecords(1, 11) } });
    expect(late.status).toBe(409);
    expect(late.headers.get('cache-control')).toBe('no-store');
    expect((await call(`/api/reports/${id}/experiments`, { json: { experiments: [testExperiment()] } })).status).toBe(409);
    expect((await call('/api/reports/nope/experiments', { json: { experiments: [testExperiment()] } })).status).toBe(404);
    const unknownAction = await call(`/api/reports/${id}/experiments`, { json: { experiments: [{ ...testExperiment(), action: 'reboot' }] } });
    expect(unknownAction.status).toBe(400);
    expect(JSON.stringify(unknownAction.body)).toContain('experiments.0.action');
    expect((await call('/api/reports/runs', { method: 'POST', headers: { 'content-type': 'application/json' }, body: 'not json' })).status).toBe(400);
    const plain = await call('/api/reports/runs', { method: 'POST', headers: { 'content-type': 'text/plain' }, body: '{}' });
    expect(plain.status).toBe(400);
    expect(plain.text).toMatch(/Content-Type: application\/json/);
  });

  it('answers 413 to a body over the limit', async () => {
    const huge = JSON.stringify({ records: [], pad: 'x'.repeat(REPORT_LIMITS.batchBytes) });
    const response = await call('/api/reports/abc/records', { method: 'POST', headers: { 'content-type': 'application/json' }, body: huge });
    expect(response.status).toBe(413);
  });

  it('imports an export under a new id with a share link at once; the copy equals the original but for its id', async () => {
    const id = await runReport(150);
    const original = (await call(`/api/reports/${id}`)).body as unknown as Report;
    // Forwarded headers are anyone's to send: links come from the Host the server's front door checked.
    const imported = await call('/api/reports', { json: original, headers: { 'x-forwarded-proto': 'javascript', 'x-forwarded-host': 'attacker.example' } });
    expect(imported.status).toBe(201);
    const newId = String(imported.body.id);
    expect(newId).not.toBe(id);
    expect(imported.body.shareUrl).toMatch(/^http:\/\/dashboard\.test\/r\/[A-Za-z0-9_-]{22}$/);
    // A published run's link expires like a link made on the page without a choice: in 30 days, not never.
    expect(Number(imported.body.shareExpiresAt)).toBeGreaterThan(Date.now() + 29 * 24 * 3_600_000);
    expect(Number(imported.body.shareExpiresAt)).toBeLessThanOrEqual(Date.now() + 30 * 24 * 3_600_000);
    expect(imported.body.reportUrl).toBe(`http://dashboard.test/reports/${newId}`);
    const copy = (await call(`/api/reports/${newId}`)).body as unknown as Report;
    expect({ ...copy, id: original.id }).toEqual(original);

    const shareId = String(imported.body.shareUrl).split('/r/')[1] ?? '';
    const shared = await (await getReportStore()).resolveShare(shareId);
    expect(shared?.id).toBe(newId);
    expect(JSON.stringify(shared)).not.toContain(TRAEFIK_VALUES[0]);
  });

  it('creates links with an expiry and revokes them, only through their own report', async () => {
    const a = await runReport(5);
    const b = await runReport(5);
    const before = Date.now();
    const share = await call(`/api/reports/${a}/shares`, { json: { expiresInHours: 24 } });
    expect(share.status).toBe(201);
    expect(Number(share.body.expiresAt)).toBeGreaterThanOrEqual(before + 24 * 3_600_000);
    const shareId = String(share.body.shareId);
    expect((await call(`/api/reports/${a}/shares`, { json: { expiresInHours: 0 } })).status).toBe(400);
    const unsaid = await call(`/api/reports/${a}/shares`, { json: {} });
    expect(Number(unsaid.body.expiresAt) - before).toBeGreaterThanOrEqual(30 * 24 * 3_600_000);
    expect(Number(unsaid.body.expiresAt) - Date.now()).toBeLessThanOrEqual(30 * 24 * 3_600_000);
    expect((await call(`/api/reports/${a}/shares`, { json: { expiresInHours: null } })).body.expiresAt).toBeNull();

    expect((await call(`/api/reports/${b}/shares/${shareId}`, { method: 'DELETE' })).status).toBe(404);
    const store = await getReportStore();
    expect((await store.resolveShare(shareId))?.id).toBe(a);
    expect((await call(`/api/reports/${a}/shares/${shareId}`, { method: 'DELETE' })).status).toBe(204);
    expect(await store.resolveShare(shareId)).toBeNull();
    expect((await call(`/api/reports/${a}/shares/${shareId}`, { method: 'DELETE' })).status).toBe(404);

    // An expired link no longer resolves, yet still belongs to its report alone.
    const expired = await store.createShare(a, { expiresAt: Date.now() - 1 });
    expect(await store.resolveShare(expired.shareId)).toBeNull();
    expect((await call(`/api/reports/${b}/shares/${expired.shareId}`, { method: 'DELETE' })).status).toBe(404);
    expect((await call(`/api/reports/${a}/shares/${expired.shareId}`, { method: 'DELETE' })).status).toBe(204);
  });

  it('lists with filters on host, verdict and day, and deletes', async () => {
    const early = await runReport(120, { startedAt: Date.parse('2025-03-01T23:59:00Z') });
    const list = async (query: string) => ((await call(`/api/reports${query}`)).body.reports as { id: string }[]).map((r) => r.id);
    expect(await list('?from=2025-03-01&to=2025-03-01')).toEqual([early]);
    expect(await list('?to=2025-03-02')).toEqual([early]);
    expect(await list('?host=SHOP.example&verdict=fail')).toContain(early);
    expect(await list('?verdict=pass')).not.toContain(early);
    expect(await list('?host=other.example')).toEqual([]);
    expect((await call('/api/reports?from=yesterday')).status).toBe(400);
    expect((await call('/api/reports?colour=red')).status).toBe(400);

    expect((await call(`/api/reports/${early}`, { method: 'DELETE' })).status).toBe(204);
    expect((await call(`/api/reports/${early}`)).status).toBe(404);
    expect((await call(`/api/reports/${early}`, { method: 'DELETE' })).status).toBe(404);
  });
});
