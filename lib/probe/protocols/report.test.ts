// Protocol records in a stored report: the report schema accepts them, and a shared copy hides the session ids.
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { redactReport } from '@/lib/reports/redact';
import { parseReport, REPORT_SCHEMA_VERSION } from '@/lib/reports/schema';
import { runProbe } from '../engine';
import { parseProbeSpec } from '../spec';
import { engineioLab } from './test/engineio-lab';

describe('engine.io runs in reports', () => {
  it('round-trips through the report schema and redacts every sid on share', async () => {
    const spec = parseProbeSpec({ target: 'http://chat.test/', protocol: 'engineio', requests: 12, intervalMs: 0 });
    const r = await runProbe(spec, engineioLab({ sticky: false }).transport);
    const report = parseReport({
      schemaVersion: REPORT_SCHEMA_VERSION,
      id: 'r1',
      status: 'complete',
      startedAt: r.startedAt,
      endedAt: r.startedAt + 1,
      dashboardVersion: 'test',
      spec,
      records: r.records,
      outcome: { ended: r.ended, verdict: r.verdict, expectation: r.expectation, diagnosis: r.diagnosis, cookies: r.cookies },
      topology: null,
      redaction: { onShare: true, stripQuery: false, applied: null },
    });
    expect(report.records[1]!.protocol).toEqual(r.records[1]!.protocol);
    const sids = [...new Set(r.records.map((x) => x.protocol!.session!))];
    expect(JSON.stringify(report)).toContain(sids[0]);
    const shared = JSON.stringify(redactReport(report, { key: randomBytes(32) }));
    for (const sid of sids) expect(shared).not.toContain(sid);
    expect(shared).toContain('Session ID unknown');
  });
});
