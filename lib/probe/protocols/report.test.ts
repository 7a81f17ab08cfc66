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
import { replayRecords } from '@/lib/reports/outcome';
import { toRunReport } from '@/lib/reports/run-export';
import { toReportView } from '@/lib/reports/view';

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

  it('a Shiny report saved before the first session kept what named its replica reads with it null', async () => {
    const spec = parseProbeSpec({ target: 'http://shiny.test/', requests: 4, intervalMs: 0 });
    const saved = JSON.parse(JSON.stringify(toRunReport(await runProbe(spec, scriptedShiny().transport))));
    delete saved.outcome.protocol.shiny.first.identitySource;
    expect(parseReport(saved).outcome?.protocol?.shiny?.first?.identitySource).toBeNull();
  });
});

describe('a Shiny report rebuilt from its records', () => {
  it('shows the same Shiny facts and the same diagnosis as the run that wrote it', async () => {
    const spec = parseProbeSpec({ target: 'http://shiny.test/', requests: 12, intervalMs: 0 });
    const r = await runProbe(spec, scriptedShiny().transport);
    const report = parseReport(JSON.parse(JSON.stringify(toRunReport(r))));
    const view = toReportView({ ...report, status: 'incomplete', endedAt: null, outcome: null });
    expect(view.provisional).toBe(true);
    expect(view.protocol.shiny).toEqual(r.protocol.shiny);
    expect(view.protocol.phases).toEqual(r.protocol.phases);
    expect(view.protocol.detection).toMatchObject({ requested: 'auto', protocol: 'shiny', atIndex: 1 });
    expect(view.protocol.detection.reason).toContain('shiny-javascript 1.7.4');
    expect(view.diagnosis.map((d) => d.code)).toEqual(r.diagnosis.map((d) => d.code));
    expect(view.diagnosis.find((d) => d.code === 'shiny-route-lost')?.message).toContain("DataTables warning: Ajax error");
  });

  it('keeps the run’s own detection when the outcome has it, and names the protocol a spec asked for', async () => {
    const spec = parseProbeSpec({ target: 'http://shiny.test/', requests: 6, intervalMs: 0, protocol: 'shiny' });
    const r = await runProbe(spec, scriptedShiny({ sticky: true }).transport);
    const replay = replayRecords(spec, r.records, { detection: r.protocol.detection });
    expect(replay.protocol).toEqual(r.protocol);
    expect(replayRecords(spec, r.records).protocol.detection).toEqual(r.protocol.detection);
    expect(toReportView(toRunReport(r)).protocol).toEqual(r.protocol);
  });

  it('a plain HTTP auto run reads back as plain HTTP', () => {
    const spec = parseProbeSpec({ target: 'http://web.test/', requests: 3 });
    expect(replayRecords(spec, []).protocol.detection).toMatchObject({ requested: 'auto', protocol: 'http', atIndex: null });
  });
});
