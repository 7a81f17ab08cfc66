// The report import and the error answers of the built server under hostile bodies: the import is read as it
// arrives and stops at its limits, every refusal is small, and the server stays up to answer the next request.
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_ISSUE_CHARS, MAX_LISTED_ISSUES, MAX_MESSAGE_CHARS } from '@/lib/errors';
import { measureExperiments } from '@/lib/experiments/report';
import { REPORT_CONTENT_LIMITS } from '@/lib/reports/limits';
import { toReportJson } from '@/lib/reports/schema';
import { testExperiment, testRecords } from '@/lib/reports/test/fixtures';
import { testReport } from '@/lib/reports/test/reports';
import { startDashboard, stopDashboard, type DashboardProcess } from './dashboard-health';

const dir = mkdtempSync(path.join(os.tmpdir(), 'stickyscope-import-limits-'));
let dashboard: DashboardProcess | undefined;

/** The largest error answer the server may give: the message and 20 issues at their cut, plus the JSON around them. */
const MAX_ERROR_ANSWER_BYTES = 3 * (MAX_MESSAGE_CHARS + MAX_LISTED_ISSUES * (MAX_ISSUE_CHARS + 8) + 200);

/** The members an export lists before its records, for a report of `requests` requests. */
const HEAD = `"schemaVersion":2,"id":"x","status":"complete","startedAt":1700000000000,"endedAt":null,"dashboardVersion":"0.1.0","spec":{"target":"http://app.test/","requests":${REPORT_CONTENT_LIMITS.records}}`;

/** The members an export lists after its records. */
const TAIL = '"outcome":null,"topology":null,"experiments":[],"redaction":{"onShare":true,"stripQuery":false,"applied":null}';

type Answer = { status: number; text: string };

async function post(route: string, body: string): Promise<Answer> {
  const response = await fetch(`${dashboard!.base}${route}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
  return { status: response.status, text: await response.text() };
}

async function expectHealthy(): Promise<void> {
  const health = await fetch(`${dashboard!.base}/api/health`);
  expect(health.status).toBe(200);
}

async function reportCount(): Promise<number> {
  const { reports } = (await (await fetch(`${dashboard!.base}/api/reports?limit=1000`)).json()) as { reports: unknown[] };
  return reports.length;
}

/**
 * POSTs `pieces` as a chunked body, writing only as fast as the server reads (so what was written is close to what
 * was read) and stopping once an answer arrives. Resolves with the answer and how many bytes were written.
 */
function streamPost(route: string, pieces: Iterable<string>): Promise<Answer & { written: number }> {
  return new Promise((resolve, reject) => {
    let written = 0;
    let answered = false;
    const req = http.request(`${dashboard!.base}${route}`, { method: 'POST', headers: { 'content-type': 'application/json' } });
    req.on('response', (res) => {
      answered = true;
      let text = '';
      res.setEncoding('utf8').on('data', (d: string) => (text += d));
      res.on('end', () => {
        req.destroy();
        resolve({ status: res.statusCode ?? 0, text, written });
      });
    });
    // Once the answer is in, the server may close the connection on the rest of the body; that is not a failure.
    req.on('error', (error) => (answered ? undefined : reject(error)));
    void (async () => {
      for (const piece of pieces) {
        if (answered || req.destroyed) return;
        written += Buffer.byteLength(piece);
        if (!req.write(piece)) await Promise.race([once(req, 'drain'), once(req, 'response'), once(req, 'close')]);
      }
      if (!answered && !req.destroyed) req.end();
    })().catch(reject);
  });
}

beforeAll(async () => {
  dashboard = await startDashboard({ STICKYSCOPE_DOCKER: 'off', STICKYSCOPE_LAB: '0', STICKYSCOPE_DB_PATH: path.join(dir, 'reports.db') });
});

afterAll(async () => {
  await stopDashboard(dashboard);
  rmSync(dir, { recursive: true, force: true });
});

describe('report import limits on the built server', () => {
  it('one 3 MB request of a million empty records is refused quickly with a small answer and the server stays up', async () => {
    const records = `${'{},'.repeat(999_999)}{}`;
    for (const body of [`{"records":[${records}]}`, `{${HEAD},"records":[${records}],${TAIL}}`]) {
      expect(body.length).toBeGreaterThan(3_000_000);
      const answer = await post('/api/reports', body);
      expect(answer.status, answer.text).toBeGreaterThanOrEqual(400);
      expect(answer.status).toBeLessThan(500);
      expect(Buffer.byteLength(answer.text)).toBeLessThan(MAX_ERROR_ANSWER_BYTES);
      expect(JSON.parse(answer.text)).toMatchObject({ error: { message: expect.any(String) } });
      await expectHealthy();
    }
    expect(await reportCount()).toBe(0);
  });

  it('a body of many invalid records answers at most 20 issues plus a count', async () => {
    const bad = testRecords(5000).map((r) => ({ ...r, status: 'ok' }));
    const imported = await post('/api/reports', `{${HEAD},"records":${JSON.stringify(bad)},${TAIL}}`);
    expect(imported.status).toBe(400);
    const { error } = JSON.parse(imported.text) as { error: { issues: string[]; issueCount: number } };
    expect(error.issues).toHaveLength(MAX_LISTED_ISSUES);
    expect(error.issueCount).toBe(5000);
    expect(error.issues[0]).toMatch(/^records\.0\.status: /);
    expect(await reportCount()).toBe(0);

    // The same cap on a run's record batch, the route a running probe writes to.
    const run = await post('/api/reports/runs', JSON.stringify({ spec: { target: 'http://app.test/' }, startedAt: Date.now() }));
    expect(run.status, run.text).toBe(201);
    const { id } = JSON.parse(run.text) as { id: string };
    const batch = await post(`/api/reports/${id}/records`, JSON.stringify({ records: bad.slice(0, 1000) }));
    expect(batch.status).toBe(400);
    expect(JSON.parse(batch.text)).toMatchObject({ error: { issueCount: 1000, issues: expect.any(Array) } });
    expect((JSON.parse(batch.text) as { error: { issues: string[] } }).error.issues).toHaveLength(MAX_LISTED_ISSUES);
    expect(Buffer.byteLength(batch.text)).toBeLessThan(MAX_ERROR_ANSWER_BYTES);
    await fetch(`${dashboard!.base}/api/reports/${id}`, { method: 'DELETE' });
    await expectHealthy();
  });

  it('an over-count import is refused before it is read whole, and keeps nothing', async () => {
    const limit = REPORT_CONTENT_LIMITS.records;
    const template = JSON.stringify(testRecords(2)[1]).replace('"index":2,', '"index":INDEX,');
    const total = limit + 50_000;
    function* body() {
      yield `{${HEAD},"records":[`;
      for (let i = 1; i <= total; i += 1000) {
        const last = Math.min(total, i + 999);
        const records: string[] = [];
        for (let n = i; n <= last; n++) records.push(template.replace('INDEX', String(n)));
        yield `${records.join(',')}${last < total ? ',' : ''}`;
      }
      yield `],${TAIL}}`;
    }
    const bytes = (template.length + 6) * total;
    const answer = await streamPost('/api/reports', body());
    expect(answer.status, answer.text).toBe(413);
    expect(JSON.parse(answer.text)).toMatchObject({ error: { code: 'too-large', message: expect.stringContaining(`at most ${limit} records`) } });
    // The server stopped reading at record 100,001; with socket buffers in between, far less than the whole was sent.
    expect(answer.written).toBeLessThan(bytes * 0.9);
    expect(await reportCount()).toBe(0);
    await expectHealthy();
  });

  it('a body over the byte limit is refused from its declared length, unread', async () => {
    const req = http.request(`${dashboard!.base}/api/reports`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'content-length': String(65 * 1024 * 1024) },
    });
    req.on('error', () => undefined);
    req.write('{');
    const [res] = (await once(req, 'response')) as [http.IncomingMessage];
    expect(res.statusCode).toBe(413);
    res.resume();
    req.destroy();
    await expectHealthy();
  });

  it('a valid export round-trips through the streaming import unchanged', async () => {
    const records = testRecords(3000);
    const original = testReport({ experiments: measureExperiments([testExperiment()], records) }, records);
    const json = toReportJson(original);

    const exportOf = async (text: string) => {
      const imported = await post('/api/reports', text);
      expect(imported.status, imported.text).toBe(201);
      const { id } = JSON.parse(imported.text) as { id: string };
      const exported = await fetch(`${dashboard!.base}/api/reports/${id}`);
      expect(exported.status).toBe(200);
      return { id, text: await exported.text() };
    };
    const first = await exportOf(json);
    expect({ ...JSON.parse(first.text), id: original.id }).toEqual(JSON.parse(json));
    const second = await exportOf(first.text);
    expect(second.id).not.toBe(first.id);
    expect(second.text).toBe(first.text.replace(`"id":"${first.id}"`, `"id":"${second.id}"`));
  });
});
