// The behaviour every report store backend owes, as one vitest suite: sqlite.test.ts runs it on SQLite files,
// e2e/integration/report-store-postgres.test.ts on a real PostgreSQL.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { importReport, importReportJson } from '../import';
import type { ReportStoreOptions } from '../kysely-store';
import { parseReport, REPORT_SCHEMA_VERSION, toReportJson, type Report } from '../schema';
import { ReportError, type ReportStore } from '../store';
import { SESSION_VALUES, TRAEFIK_VALUES, testExperiment, testOutcome, testRecords, testSpec, testTopology } from './fixtures';

/** One empty database for one test. */
export type StoreHarness = {
  /** A new store on this database, with its own connection, as another dashboard process would open it. */
  open(options: ReportStoreOptions): Promise<ReportStore>;
  /** Everything the database holds, as its files or a dump would show it to someone who copied them. */
  dump(): Promise<string>;
  dispose(): Promise<void>;
};

const LEASE_MS = 60_000;

export function describeReportStoreContract(backend: string, createHarness: () => Promise<StoreHarness>): void {
  describe(`report store contract on ${backend}`, () => {
    let harness: StoreHarness;
    let stores: ReportStore[];
    let now: number;
    let store: ReportStore;

    /** Another process on the same database, with the same clock. */
    const openAnother = async (options: ReportStoreOptions = {}) => {
      const opened = await harness.open({ now: () => now, runLeaseMs: LEASE_MS, ...options });
      stores.push(opened);
      return opened;
    };

    beforeEach(async () => {
      harness = await createHarness();
      stores = [];
      now = 1_700_000_000_000;
      store = await openAnother();
    });

    afterEach(async () => {
      for (const s of stores) await s.close();
      await harness.dispose();
    });

    /** A new running report, with the spec it was started with. */
    const startRun = async (startedAt = now, specOver: Record<string, unknown> = {}) => {
      const spec = testSpec(specOver);
      const { id } = await store.createReport({ spec, startedAt, dashboardVersion: '0.1.0', topology: testTopology() });
      return { id, spec };
    };

    const stored = async (reportId: string, from: ReportStore = store): Promise<Report> => {
      const report = await from.getReport(reportId);
      if (!report) throw new Error(`report ${reportId} vanished`);
      return report;
    };

    async function finishedReport(startedAt = now, specOver: Record<string, unknown> = {}): Promise<Report> {
      const report = await startRun(startedAt, specOver);
      const records = testRecords(200);
      for (let i = 0; i < records.length; i += 64) await store.appendRecords(report.id, records.slice(i, i + 64));
      await store.finishReport(report.id, { status: 'complete', endedAt: startedAt + 5000, outcome: testOutcome(records, report.spec) });
      return stored(report.id);
    }

    it('creates, appends in batches, finishes and reads back the same report', async () => {
      const spec = testSpec();
      const created = await store.createReport({ spec, startedAt: now, dashboardVersion: '0.1.0', topology: testTopology() });
      expect(created).toEqual({ id: expect.any(String), status: 'running', records: 0 });
      const opened = await stored(created.id);
      expect(opened).toMatchObject({ status: 'running', records: [], outcome: null, endedAt: null, schemaVersion: REPORT_SCHEMA_VERSION, experiments: [] });
      expect(opened.redaction).toEqual({ onShare: true, stripQuery: false, applied: null });

      const records = testRecords(200);
      for (let i = 0; i < records.length; i += 50) await store.appendRecords(created.id, records.slice(i, i + 50));
      const outcome = testOutcome(records, spec);
      const finished = await store.finishReport(created.id, { status: 'complete', endedAt: now + 5000, outcome });
      expect(finished).toEqual({ id: created.id, status: 'complete', records: 200 });

      expect(await store.getReport(created.id)).toEqual({
        schemaVersion: REPORT_SCHEMA_VERSION,
        id: created.id,
        status: 'complete',
        startedAt: now,
        endedAt: now + 5000,
        dashboardVersion: '0.1.0',
        spec,
        records,
        outcome,
        topology: testTopology(),
        experiments: [],
        redaction: { onShare: true, stripQuery: false, applied: null },
      });
      expect(await store.getReport('no-such-report')).toBeNull();
    });

    it('treats re-sent and overlapping batches as the same records, the last copy of an index winning', async () => {
      const report = await startRun();
      const batch = testRecords(10);
      await store.appendRecords(report.id, batch);
      await store.appendRecords(report.id, batch);
      await store.appendRecords(report.id, testRecords(10, 6));
      const retried = { ...testRecords(1, 3)[0]!, latencyMs: 42 };
      const again = { ...retried, latencyMs: 43 };
      await store.appendRecords(report.id, [retried, again]);
      await store.appendRecords(report.id, []);

      const records = (await store.getReport(report.id))?.records ?? [];
      expect(records.map((r) => r.index)).toEqual(Array.from({ length: 15 }, (_, i) => i + 1));
      expect(records[2]?.latencyMs).toBe(43);
      expect((await store.listReports())[0]?.records).toBe(15);
    });

    it('refuses writes to unknown or ended runs and bad record indexes, keeping what was stored', async () => {
      const report = await startRun();
      const batch = testRecords(10);
      await store.appendRecords(report.id, batch);

      await expect(store.appendRecords('nope', batch)).rejects.toMatchObject({ code: 'not-found' });
      await expect(store.appendRecords(report.id, [{ ...batch[0]!, index: 0 }])).rejects.toThrow(/not a positive integer/);
      await store.finishReport(report.id, { status: 'stopped', endedAt: now + 1, outcome: testOutcome(batch, report.spec) });
      await expect(store.appendRecords(report.id, testRecords(5, 11))).rejects.toBeInstanceOf(ReportError);
      await expect(store.appendRecords(report.id, testRecords(5, 11))).rejects.toMatchObject({ code: 'not-running' });
      await expect(store.finishReport(report.id, { status: 'complete', endedAt: now + 2, outcome: testOutcome(batch, report.spec) })).rejects.toMatchObject({
        code: 'not-running',
      });
      await expect(store.finishReport('nope', { status: 'complete', endedAt: now, outcome: testOutcome(batch, report.spec) })).rejects.toMatchObject({
        code: 'not-found',
      });
      const read = await store.getReport(report.id);
      expect(read?.status).toBe('stopped');
      expect(read?.records).toEqual(batch);
    });

    it('keeps a run’s experiments in the order they came, measured against the records stored so far', async () => {
      const report = await startRun();
      const records = testRecords(200);
      await store.appendRecords(report.id, records.slice(0, 95));
      const kill = testExperiment();
      const failed = testExperiment({ id: 'f00d', action: 'drain', afterIndex: 150, atMs: 1500, ok: false, message: 'no runtime API' });
      await store.appendExperiments(report.id, [kill]);
      // Nothing was sent after the action yet.
      expect((await store.getReport(report.id))?.experiments[0]?.measurement?.outcome).toBe('no-data');

      await store.appendRecords(report.id, records.slice(95));
      await store.appendExperiments(report.id, [failed]);
      // A retried request re-sends the first event: it stays one event, in its first place.
      await (await openAnother()).appendExperiments(report.id, [kill]);
      await store.finishReport(report.id, { status: 'complete', endedAt: now + 1, outcome: testOutcome(records, report.spec) });
      const finished = await stored(report.id);
      expect(finished.experiments.map((e) => e.id)).toEqual([kill.id, failed.id]);
      const [measured, refused] = finished.experiments;
      expect(measured).toMatchObject({ ...kill, measurement: { outcome: 'recovered', pinnedReplica: '10.0.1.5', repinnedTo: '10.0.1.6', repinned: true } });
      expect(measured?.measurement?.balancerCookie).toMatchObject({ before: TRAEFIK_VALUES[0], after: TRAEFIK_VALUES[1], reissued: true, reissuedAt: 100 });
      expect(refused).toMatchObject({ ok: false, measurement: null });

      await expect(store.appendExperiments(report.id, [testExperiment({ id: 'late' })])).rejects.toMatchObject({ code: 'not-running' });
      await expect(store.appendExperiments('nope', [kill])).rejects.toMatchObject({ code: 'not-found' });
      await expect(store.appendExperiments(report.id, [{ ...kill, action: 'reboot' as never }])).rejects.toThrow(/action/);

      const imported = await importReport(store, parseReport(JSON.parse(toReportJson(finished))));
      expect((await stored(imported.id)).experiments).toEqual(finished.experiments);
      expect(await store.deleteReport(report.id)).toBe(true);
      expect((await store.getReport(imported.id))?.experiments).toHaveLength(2);
    });

    it('stores a batch larger than one statement holds, in order, in one call', async () => {
      const report = await startRun();
      const records = testRecords(5_000);
      await store.appendRecords(report.id, records);
      expect((await store.getReport(report.id))?.records).toEqual(records);
      expect((await store.listReports())[0]).toMatchObject({ id: report.id, records: 5_000 });
    });

    it('lists newest first, filtered by host, verdict and date', async () => {
      const a = await finishedReport(1000);
      const b = await finishedReport(2000, { target: 'https://Shop.Example/' });
      const running = await startRun(3000);

      expect((await store.listReports()).map((r) => r.id)).toEqual([running.id, b.id, a.id]);
      const [first] = await store.listReports({ host: 'shop.example' });
      expect(first).toEqual({
        id: b.id,
        target: b.spec.target,
        host: 'shop.example',
        status: 'complete',
        verdict: b.outcome?.verdict.status,
        sticky: b.outcome?.verdict.sticky,
        startedAt: 2000,
        endedAt: 7000,
        lastActivityAt: now,
        records: 200,
      });
      expect((await store.listReports({ host: '10.0.1.5' })).map((r) => r.id)).toEqual([running.id, a.id]);
      expect((await store.listReports({ host: 'SHOP.example' })).map((r) => r.id)).toEqual([b.id]);

      const verdict = b.outcome?.verdict.status;
      expect(verdict).toBeDefined();
      expect((await store.listReports({ verdict })).map((r) => r.id)).toEqual([b.id, a.id]);
      const other = verdict === 'pass' ? 'fail' : 'pass';
      expect(await store.listReports({ verdict: other })).toEqual([]);

      expect((await store.listReports({ from: 1500, to: 2500 })).map((r) => r.id)).toEqual([b.id]);
      expect((await store.listReports({ from: 1500 })).map((r) => r.id)).toEqual([running.id, b.id]);
      expect((await store.listReports({ to: 2000 })).map((r) => r.id)).toEqual([b.id, a.id]);
      expect((await store.listReports({ limit: 1 })).map((r) => r.id)).toEqual([running.id]);
      expect((await store.listReports({ limit: 0 })).map((r) => r.id)).toEqual([running.id]);
    });

    it('deletes a report with its records and shares', async () => {
      const report = await finishedReport();
      const kept = await finishedReport(now + 1);
      const { shareId } = await store.createShare(report.id);
      expect(await store.deleteReport(report.id)).toBe(true);
      expect(await store.getReport(report.id)).toBeNull();
      expect(await store.resolveShare(shareId)).toBeNull();
      expect(await store.deleteReport(report.id)).toBe(false);
      expect((await store.listReports()).map((r) => r.id)).toEqual([kept.id]);
      expect((await store.getReport(kept.id))?.records).toHaveLength(200);
    });

    it('stores only a hash of share ids and answers null for unknown, expired and revoked ids', async () => {
      const report = await finishedReport();
      const { shareId } = await store.createShare(report.id);
      expect(shareId).toMatch(/^[A-Za-z0-9_-]{22}$/);
      expect(Buffer.from(shareId, 'base64url')).toHaveLength(16);

      const shared = await store.resolveShare(shareId);
      expect(shared?.id).toBe(report.id);
      expect(shared?.redaction.applied).not.toBeNull();

      const dump = await harness.dump();
      expect(dump).toContain(report.id);
      expect(dump).not.toContain(shareId);

      expect(await store.resolveShare('A'.repeat(22))).toBeNull();
      expect(await store.resolveShare('')).toBeNull();

      const expiring = await store.createShare(report.id, { expiresAt: now + 1000 });
      expect(await store.resolveShare(expiring.shareId)).not.toBeNull();
      now += 1000;
      expect(await store.resolveShare(expiring.shareId)).toBeNull();

      // Only through its own report, whether the link is live or expired.
      const other = await startRun();
      expect(await store.revokeShare(other.id, shareId)).toBe(false);
      expect((await store.resolveShare(shareId))?.id).toBe(report.id);
      expect(await store.revokeShare(other.id, expiring.shareId)).toBe(false);
      expect(await store.revokeShare(report.id, expiring.shareId)).toBe(true);

      expect(await store.revokeShare(report.id, shareId)).toBe(true);
      expect(await store.resolveShare(shareId)).toBeNull();
      expect(await store.revokeShare(report.id, shareId)).toBe(false);
      expect(await store.revokeShare(report.id, 'A'.repeat(22))).toBe(false);
      await expect(store.createShare('nope')).rejects.toMatchObject({ code: 'not-found' });
    });

    it('shares the unredacted report when the author opted out', async () => {
      const report = await store.createReport({ spec: testSpec(), startedAt: now, dashboardVersion: '0.1.0', redaction: { onShare: false } });
      await store.appendRecords(report.id, testRecords(3));
      const { shareId } = await store.createShare(report.id);
      const shared = await store.resolveShare(shareId);
      expect(JSON.stringify(shared)).toContain(TRAEFIK_VALUES[0]);
      expect(shared?.redaction).toEqual({ onShare: false, stripQuery: false, applied: null });
    });

    it('redacts a shared report with the same pseudonyms on every resolve, from any process', async () => {
      const report = await finishedReport();
      const one = await store.createShare(report.id);
      const two = await store.createShare(report.id);
      const first = JSON.stringify(await store.resolveShare(one.shareId));
      for (const value of [...TRAEFIK_VALUES, ...SESSION_VALUES]) expect(first).not.toContain(value);
      const other = await openAnother();
      expect(JSON.stringify(await other.resolveShare(two.shareId))).toBe(first);
    });

    it('leaves a live run of another process running when a process starts', async () => {
      const report = await startRun();
      await store.appendRecords(report.id, testRecords(100));
      now += LEASE_MS - 1;

      const starting = await openAnother();
      expect(await starting.markIncompleteOnStartup()).toBe(0);
      expect((await starting.getReport(report.id))?.status).toBe('running');

      // The first process goes on writing, through its own connection or through the newcomer (no stickiness).
      await store.appendRecords(report.id, testRecords(50, 101));
      now += LEASE_MS - 1;
      await starting.appendRecords(report.id, testRecords(50, 151));
      now += LEASE_MS - 1;
      // A re-sent batch renews the lease like a new one.
      await store.appendRecords(report.id, testRecords(50, 151));
      now += LEASE_MS - 1;
      expect(await starting.markIncompleteOnStartup()).toBe(0);
      const finished = await starting.finishReport(report.id, { status: 'complete', endedAt: now, outcome: testOutcome(testRecords(200), report.spec) });
      expect(finished).toEqual({ id: report.id, status: 'complete', records: 200 });
      expect((await stored(report.id)).records).toEqual(testRecords(200));
    });

    it('reads a run whose writer went quiet past the lease as incomplete, sweeps it and keeps every record', async () => {
      const done = await finishedReport();
      const report = await startRun();
      const records = testRecords(150);
      await store.appendRecords(report.id, records.slice(0, 100));
      await store.appendRecords(report.id, records.slice(100));
      await store.close();
      stores.splice(stores.indexOf(store), 1);
      now += LEASE_MS + 1;

      store = await openAnother();
      // Reads say so before any sweep.
      expect((await store.getReport(report.id))?.status).toBe('incomplete');
      expect((await store.listReports()).find((r) => r.id === report.id)?.status).toBe('incomplete');

      expect(await store.markIncompleteOnStartup()).toBe(1);
      const reopened = await store.getReport(report.id);
      expect(reopened?.status).toBe('incomplete');
      expect(reopened?.records).toEqual(records);
      expect(reopened?.endedAt).toBeNull();
      expect(reopened?.outcome).toBeNull();
      expect((await store.getReport(done.id))?.status).toBe('complete');
      expect(await store.markIncompleteOnStartup()).toBe(0);
    });

    it('marks at once the runs of a dead process of the same host, and leaves live or remote writers to the lease', async () => {
      const alive = new Set([101]);
      const isProcessAlive = (pid: number) => alive.has(pid);
      const writerOf = async (host: string, pid: number) => {
        const writer = await openAnother({ writer: { host, pid }, isProcessAlive });
        const report = await writer.createReport({ spec: testSpec(), startedAt: now, dashboardVersion: '0.1.0' });
        await writer.appendRecords(report.id, testRecords(20));
        return report.id;
      };
      const deadHere = await writerOf('dash-a', 100);
      const liveHere = await writerOf('dash-a', 101);
      const elsewhere = await writerOf('dash-b', 100);

      const restarted = await openAnother({ writer: { host: 'dash-a', pid: 102 }, isProcessAlive });
      expect(await restarted.markIncompleteOnStartup()).toBe(1);
      const dead = await restarted.getReport(deadHere);
      expect(dead?.status).toBe('incomplete');
      expect(dead?.records).toEqual(testRecords(20));
      expect((await restarted.getReport(liveHere))?.status).toBe('running');
      expect((await restarted.getReport(elsewhere))?.status).toBe('running');
      // The live writer goes on; the remote one is left to its lease.
      await store.appendRecords(liveHere, testRecords(5, 21));
      now += LEASE_MS + 1;
      expect((await restarted.getReport(elsewhere))?.status).toBe('incomplete');
    });

    it('refuses a late write to a lapsed run and marks that run incomplete, even under a longer lease', async () => {
      const report = await startRun();
      const otherLapsed = await startRun();
      await store.appendRecords(report.id, testRecords(10));
      now += LEASE_MS + 1;
      await expect(store.appendRecords(report.id, testRecords(10, 11))).rejects.toMatchObject({ code: 'not-running', message: expect.stringMatching(/incomplete/) });

      const patient = await openAnother({ runLeaseMs: LEASE_MS * 10 });
      const read = await patient.getReport(report.id);
      expect(read?.status).toBe('incomplete');
      expect(read?.records).toEqual(testRecords(10));
      await expect(patient.appendExperiments(report.id, [testExperiment()])).rejects.toMatchObject({ code: 'not-running' });
      // The refusal marked only the run written to; the other is left to its readers' lease or a sweep.
      expect((await stored(otherLapsed.id, patient)).status).toBe('running');
    });

    it('imports an exported report as an equal report under a new id; a running export arrives incomplete', async () => {
      const report = await finishedReport();
      const imported = await importReport(store, parseReport(JSON.parse(toReportJson(report))));
      expect(imported).toEqual({ id: expect.any(String), status: 'complete', records: 200 });
      expect(imported.id).not.toBe(report.id);
      expect({ ...(await stored(imported.id)), id: report.id }).toEqual(report);
      expect((await store.listReports()).find((r) => r.id === imported.id)).toMatchObject({ records: 200, status: 'complete' });

      const live = await startRun();
      await store.appendRecords(live.id, testRecords(7));
      const exported = await store.getReport(live.id);
      if (!exported) throw new Error('report vanished');
      const copy = await importReport(store, parseReport(JSON.parse(toReportJson(exported))));
      expect(copy).toMatchObject({ status: 'incomplete', records: 7 });
      expect(await stored(copy.id)).toMatchObject({ status: 'incomplete', outcome: null, records: testRecords(7) });
      await expect(store.appendRecords(copy.id, testRecords(1, 8))).rejects.toMatchObject({ code: 'not-running' });
    });

    it('imports an export from its JSON text as it arrives, in batches, as an equal report', async () => {
      const report = await finishedReport();
      const json = toReportJson(report);
      // Cut into pieces that split records, strings and multi-byte characters.
      const bytes = new TextEncoder().encode(json);
      async function* pieces() {
        for (let i = 0; i < bytes.length; i += 777) yield bytes.subarray(i, i + 777);
      }
      const imported = await importReportJson(store, pieces());
      expect(imported).toEqual({ id: expect.any(String), status: 'complete', records: 200 });
      expect({ ...(await stored(imported.id)), id: report.id }).toEqual(report);
    });

    it('keeps nothing of an import that turns out invalid, and names its first problems with their count', async () => {
      const report = JSON.parse(toReportJson(await finishedReport())) as Report;
      const before = (await store.listReports()).length;
      const broken = { ...report, records: report.records.map((r, i) => (i >= 150 ? { ...r, status: 'ok' } : r)) };
      async function* once() {
        yield new TextEncoder().encode(JSON.stringify(broken));
      }
      const error = await importReportJson(store, once()).catch((e: unknown) => e);
      expect(error).toMatchObject({ name: 'InputError', issueCount: 50 });
      expect((error as { issues: string[] }).issues).toHaveLength(20);
      expect((error as { issues: string[] }).issues[0]).toMatch(/^records\.150\.status: /);
      expect(await store.listReports()).toHaveLength(before);
    });

    it('keeps everything across a reopen, without running a migration twice', async () => {
      const report = await finishedReport();
      const { shareId } = await store.createShare(report.id);
      await store.close();
      stores.splice(stores.indexOf(store), 1);
      store = await openAnother();
      expect(await store.getReport(report.id)).toEqual(report);
      expect((await store.resolveShare(shareId))?.id).toBe(report.id);
    });
  });
}
