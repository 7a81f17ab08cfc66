// Protocol records and run evidence in a stored report: the report schema accepts them, and a shared copy hides the
// session ids.
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { redactReport } from '@/lib/reports/redact';
import { parseReport, REPORT_SCHEMA_VERSION } from '@/lib/reports/schema';
import { runProbe } from '../engine';
import { parseProbeSpec } from '../spec';
import { engineioLab } from './test/engineio-lab';
import { scriptedShiny } from './shiny/test/scripted-shiny';
import { toRunReport } from '@/lib/reports/run-export';

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

describe('Shiny runs in reports', () => {
  it('keep the Shiny facts per record and per run, and a shared copy hides the session ids, in routes too', async () => {
    const spec = parseProbeSpec({ target: 'http://shiny.test/', requests: 10, intervalMs: 0 });
    const r = await runProbe(spec, scriptedShiny().transport);
    const report = parseReport(JSON.parse(JSON.stringify(toRunReport(r))));
    expect(report.outcome?.protocol).toEqual(r.protocol);
    expect(report.outcome?.protocol?.shiny?.probed).toEqual({ kind: 'dataobj', output: 'table' });
    expect(report.records[1]!.protocol?.shiny?.routes?.[0]?.url).toMatch(/^session\/[0-9a-f]{32}\/dataobj\/table/);
    const session = r.records[1]!.protocol!.session!;
    const shared = JSON.stringify(redactReport(report, { key: randomBytes(32) }));
    expect(JSON.stringify(report)).toContain(`session/${session}/dataobj`);
    expect(shared).not.toContain(session);
    expect(shared).toContain('/dataobj/table?w=');
  });

  it('a version 2 report, written before the protocol evidence was kept, imports with it null', async () => {
    const spec = parseProbeSpec({ target: 'http://shiny.test/', requests: 4, intervalMs: 0, protocol: 'http' });
    const r = await runProbe(spec, scriptedShiny().transport);
    const v2 = JSON.parse(JSON.stringify(toRunReport(r)));
    v2.schemaVersion = 2;
    delete v2.outcome.protocol;
    const read = parseReport(v2);
    expect(read.schemaVersion).toBe(REPORT_SCHEMA_VERSION);
    expect(read.outcome?.protocol).toBeNull();
  });
});
