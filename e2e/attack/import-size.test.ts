// Finding 3, one 3 MB request killed the server: `POST /api/reports` with a million empty records had no bound on the
// record count, and every validation issue was collected and sent back, until the heap ran out.
import { describe, expect, it } from 'vitest';
import { MAX_SERVER_RSS_BYTES } from './invariants';
import { jsonOf } from './raw-http';
import { sameOriginHeaders } from './same-origin';
import { useAttackTarget } from './use-target';

const target = useAttackTarget();

/** A report export whose records are `count` empty objects, built as text (about 3 bytes a record). */
function importWithEmptyRecords(count: number): Buffer {
  const head = JSON.stringify({
    schemaVersion: 2,
    id: 'attack-import',
    status: 'complete',
    startedAt: 1_760_000_000_000,
    endedAt: 1_760_000_060_000,
    dashboardVersion: '0.1.0',
    spec: { target: 'http://allowed.test/' },
    outcome: null,
    topology: null,
    experiments: [],
    redaction: { onShare: true, stripQuery: false, applied: null },
  }).slice(0, -1);
  return Buffer.from(`${head},"records":[${new Array<string>(count).fill('{}').join(',')}]}`, 'utf8');
}

describe('import of a report with 1,000,000 empty records (~3 MB)', () => {
  it('is refused quickly with a short answer of at most 20 issues plus a count, and the server keeps serving', async () => {
    const t = target();
    const body = importWithEmptyRecords(1_000_000);
    expect(body.length).toBeGreaterThan(2_900_000);
    // "Quickly": the answer must come while the request is still cheap; the old server took 96 s to run out of heap.
    const answer = await t.send({ method: 'POST', path: '/api/reports', headers: sameOriginHeaders(t), body }, 20_000);
    expect(answer.status).toBeGreaterThanOrEqual(400);
    expect(answer.status).toBeLessThan(500);
    expect(answer.bytes).toBeLessThan(8 * 1024);
    const error = (jsonOf(answer) as { error?: Record<string, unknown> } | null)?.error ?? {};
    const issues = Array.isArray(error.issues) ? error.issues : [];
    expect(issues.length).toBeLessThanOrEqual(20);
    if (issues.length === 20) {
      // Cut lists say how much was left out.
      expect(Object.entries(error).some(([key, value]) => typeof value === 'number' && /count|total|more|omitted/i.test(key))).toBe(true);
    }
    expect(await t.healthy()).toBe(true);
    expect(t.serverRss()).toBeLessThan(MAX_SERVER_RSS_BYTES);
  });

  it('refuses a record batch over the batch limit on a running report without listing every record', async () => {
    const t = target();
    const created = await t.send({
      method: 'POST',
      path: '/api/reports/runs',
      headers: sameOriginHeaders(t),
      body: JSON.stringify({ spec: { target: `http://allowed.test:${t.allowed.port}/` }, startedAt: Date.now() }),
    });
    const id = (jsonOf(created) as { id: string }).id;
    const records = new Array<string>(200_000).fill('{}').join(',');
    const answer = await t.send({ method: 'POST', path: `/api/reports/${id}/records`, headers: sameOriginHeaders(t), body: `{"records":[${records}]}` }, 20_000);
    expect(answer.status).toBeGreaterThanOrEqual(400);
    expect(answer.status).toBeLessThan(500);
    expect(answer.bytes).toBeLessThan(8 * 1024);
    expect(await t.healthy()).toBe(true);
  });
});
