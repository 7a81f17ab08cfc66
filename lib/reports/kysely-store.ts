import 'server-only';
// The report store: one set of kysely queries that SQLite (sqlite.ts) and PostgreSQL (postgres.ts) both run.
import type { Kysely, Transaction } from 'kysely';
import { InputError } from '@/lib/errors';
import { measureExperiments } from '@/lib/experiments/report';
import type { ExperimentEvent } from '@/lib/experiments/types';
import type { ProbeRecord } from '@/lib/probe/types';
import { probeSpecSchema } from '@/lib/probe/spec';
import { REPORT_LIMITS } from './limits';
import type { ReportDatabase, ReportRecordsTable, ReportsTable, SqlDialect } from './db-schema';
import { DEFAULT_RUN_LEASE_MS, effectiveStatus, formatWriter, parseWriter, processIsAlive, thisProcess, type RunWriter } from './lease';
import { migrateToLatest } from './migrations';
import { toSharedReport } from './redact';
import {
  REPORT_SCHEMA_VERSION,
  experimentEventSchema,
  probeRecordSchema,
  reportOutcomeSchema,
  reportTopologySchema,
  targetHost,
  type Report,
  type ReportOutcome,
  type ReportStatus,
} from './schema';
import {
  ReportError,
  hashShareId,
  newRedactionKey,
  newReportId,
  newShareId,
  type FinishReport,
  type ImportedEnding,
  type NewReport,
  type ReportFilter,
  type ReportStore,
  type ReportSummary,
  type SavedReport,
  type ShareOptions,
} from './store';

export type ReportStoreOptions = {
  /** Clock for leases and share expiry; epoch ms. */
  now?: () => number;
  /** How long a `running` report may go without a write before it reads as `incomplete` (lease.ts). */
  runLeaseMs?: number;
  /** This process as a run's writer; the machine's host name and this pid by default. */
  writer?: RunWriter;
  /** Whether a process of this host still runs; `process.kill(pid, 0)` by default. */
  isProcessAlive?: (pid: number) => boolean;
};

// Three bind parameters per row: far below SQLite's 32,766 and PostgreSQL's 65,535 per statement.
const RECORDS_PER_STATEMENT = 500;
const DEFAULT_LIST_LIMIT = 100;

type Db = Kysely<ReportDatabase> | Transaction<ReportDatabase>;

/** Brings the database to the newest schema and returns the store on it; closes the connection if that fails. */
export async function openMigratedStore(db: Kysely<ReportDatabase>, dialect: SqlDialect, options: ReportStoreOptions): Promise<KyselyReportStore> {
  try {
    await migrateToLatest(db, dialect);
  } catch (error) {
    await db.destroy();
    throw error;
  }
  return new KyselyReportStore(db, options);
}

export class KyselyReportStore implements ReportStore {
  private readonly now: () => number;
  private readonly runLeaseMs: number;
  private readonly writer: string;
  private readonly writerHost: string;
  private readonly isProcessAlive: (pid: number) => boolean;

  constructor(
    private readonly db: Kysely<ReportDatabase>,
    options: ReportStoreOptions = {},
  ) {
    this.now = options.now ?? Date.now;
    this.runLeaseMs = options.runLeaseMs ?? DEFAULT_RUN_LEASE_MS;
    const writer = options.writer ?? thisProcess();
    this.writer = formatWriter(writer);
    this.writerHost = writer.host;
    this.isProcessAlive = options.isProcessAlive ?? processIsAlive;
  }

  async createReport(input: NewReport): Promise<SavedReport> {
    const spec = probeSpecSchema.parse(input.spec);
    const topology = input.topology ? reportTopologySchema.parse(input.topology) : null;
    const id = newReportId();
    await this.db
      .insertInto('reports')
      .values(
        reportRow(id, {
          spec,
          status: 'running',
          startedAt: input.startedAt,
          endedAt: null,
          lastActivityAt: this.now(),
          lastWriter: this.writer,
          dashboardVersion: input.dashboardVersion,
          outcome: null,
          topology,
          onShare: input.redaction?.onShare !== false,
          stripQuery: input.redaction?.stripQuery === true,
        }),
      )
      .execute();
    return { id, status: 'running', records: 0 };
  }

  async appendRecords(reportId: string, records: readonly ProbeRecord[]): Promise<void> {
    const rows = toRecordRows(reportId, records);
    await this.writeToRun(reportId, (trx) => insertRecordRows(trx, rows));
  }

  async appendExperiments(reportId: string, events: readonly ExperimentEvent[]): Promise<void> {
    const parsed = events.map((e) => experimentEventSchema.parse(e));
    await this.writeToRun(reportId, (trx) => insertExperimentRows(trx, reportId, parsed));
  }

  async finishReport(reportId: string, finish: FinishReport): Promise<SavedReport> {
    if (finish.status !== 'complete' && finish.status !== 'stopped') {
      throw new InputError(`a run ends as complete or stopped, not ${String(finish.status)}`);
    }
    const outcome = reportOutcomeSchema.parse(finish.outcome);
    let records = 0;
    await this.writeToRun(reportId, async (trx) => {
      await trx.updateTable('reports').set(endingColumns(finish.status, finish.endedAt, outcome)).where('id', '=', reportId).execute();
      records = await countRecords(trx, reportId);
    });
    return { id: reportId, status: finish.status, records };
  }

  async getReport(reportId: string): Promise<Report | null> {
    const row = await this.db.selectFrom('reports').selectAll().where('id', '=', reportId).executeTakeFirst();
    return row ? this.toReport(row) : null;
  }

  async listReports(filter: ReportFilter = {}): Promise<ReportSummary[]> {
    const limit = Math.min(Math.max(Math.floor(filter.limit ?? DEFAULT_LIST_LIMIT), 1), REPORT_LIMITS.maxListed);
    let query = this.db
      .selectFrom('reports')
      .select((eb) => [
        'id',
        'target',
        'host',
        'status',
        'verdict',
        'sticky',
        'started_at',
        'ended_at',
        'last_activity_at',
        eb
          .selectFrom('report_records')
          .select(eb.fn.countAll<number | string>().as('n'))
          .whereRef('report_records.report_id', '=', 'reports.id')
          .as('records'),
      ]);
    if (filter.host) query = query.where('host', '=', filter.host.replace(/^\[|\]$/g, '').toLowerCase());
    if (filter.verdict) query = query.where('verdict', '=', filter.verdict);
    if (filter.from !== undefined) query = query.where('started_at', '>=', filter.from);
    if (filter.to !== undefined) query = query.where('started_at', '<=', filter.to);
    const rows = await query.orderBy('started_at', 'desc').orderBy('id').limit(limit).execute();
    const staleBefore = this.staleBefore();
    return rows.map((r) => ({
      id: r.id,
      target: r.target,
      host: r.host,
      status: effectiveStatus(r.status, r.last_activity_at, staleBefore),
      verdict: r.verdict,
      sticky: r.sticky === null ? null : r.sticky === 1,
      startedAt: r.started_at,
      endedAt: r.ended_at,
      lastActivityAt: r.last_activity_at,
      records: Number(r.records ?? 0),
    }));
  }

  async deleteReport(reportId: string): Promise<boolean> {
    const result = await this.db.deleteFrom('reports').where('id', '=', reportId).executeTakeFirst();
    return result.numDeletedRows > 0n;
  }

  async finishImport(reportId: string, ending: ImportedEnding): Promise<SavedReport> {
    const outcome = ending.outcome === null ? null : reportOutcomeSchema.parse(ending.outcome);
    const topology = ending.topology === null ? null : reportTopologySchema.parse(ending.topology);
    const events = ending.experiments.map(({ measurement: _measured, ...event }) => experimentEventSchema.parse(event));
    // An exported run that was still going has no writer here.
    const status = ending.status === 'running' ? 'incomplete' : ending.status;
    let records = 0;
    await this.writeToRun(reportId, async (trx) => {
      await trx
        .updateTable('reports')
        .set({
          ...endingColumns(status, ending.endedAt, outcome),
          topology: topology ? JSON.stringify(topology) : null,
          redact_on_share: ending.redaction.onShare ? 1 : 0,
          strip_query: ending.redaction.stripQuery ? 1 : 0,
        })
        .where('id', '=', reportId)
        .execute();
      await insertExperimentRows(trx, reportId, events);
      records = await countRecords(trx, reportId);
    });
    return { id: reportId, status, records };
  }

  async createShare(reportId: string, options: ShareOptions = {}): Promise<{ shareId: string }> {
    const report = await this.db.selectFrom('reports').select('id').where('id', '=', reportId).executeTakeFirst();
    if (!report) throw new ReportError('not-found', `report ${reportId} does not exist`);
    const shareId = newShareId();
    await this.db
      .insertInto('shares')
      .values({ id_hash: hashShareId(shareId), report_id: reportId, created_at: this.now(), expires_at: options.expiresAt ?? null })
      .execute();
    return { shareId };
  }

  async resolveShare(shareId: string): Promise<Report | null> {
    const row = await this.db
      .selectFrom('shares')
      .innerJoin('reports', 'reports.id', 'shares.report_id')
      .selectAll('reports')
      .where('shares.id_hash', '=', hashShareId(shareId))
      .where('shares.revoked_at', 'is', null)
      .where((eb) => eb.or([eb('shares.expires_at', 'is', null), eb('shares.expires_at', '>', this.now())]))
      .executeTakeFirst();
    if (!row) return null;
    return toSharedReport(await this.toReport(row), { key: row.redaction_key });
  }

  async revokeShare(reportId: string, shareId: string): Promise<boolean> {
    const result = await this.db
      .updateTable('shares')
      .set({ revoked_at: this.now() })
      .where('id_hash', '=', hashShareId(shareId))
      .where('report_id', '=', reportId)
      .where('revoked_at', 'is', null)
      .executeTakeFirst();
    return result.numUpdatedRows > 0n;
  }

  async markIncompleteOnStartup(): Promise<number> {
    return (await this.markLapsed(null, this.staleBefore())) + (await this.markRunsOfDeadLocalWriters());
  }

  /** Persists `incomplete` for lapsed runs (one, or all when `reportId` is null); a run renewed meanwhile is left alone. */
  private async markLapsed(reportId: string | null, staleBefore: number): Promise<number> {
    let query = this.db.updateTable('reports').set({ status: 'incomplete' }).where('status', '=', 'running').where('last_activity_at', '<', staleBefore);
    if (reportId !== null) query = query.where('id', '=', reportId);
    const result = await query.executeTakeFirst();
    return Number(result.numUpdatedRows);
  }

  /** Runs last written by a process of this host that no longer exists need not wait for their lease (lease.ts). */
  private async markRunsOfDeadLocalWriters(): Promise<number> {
    const running = await this.db
      .selectFrom('reports')
      .select(['id', 'last_writer'])
      .where('status', '=', 'running')
      .where('last_writer', 'is not', null)
      .where('last_writer', '!=', this.writer)
      .execute();
    let marked = 0;
    for (const run of running) {
      const writer = run.last_writer ? parseWriter(run.last_writer) : null;
      if (!writer || writer.host !== this.writerHost || this.isProcessAlive(writer.pid)) continue;
      // Guarded by the writer: a run another process took over since the select keeps running.
      const result = await this.db
        .updateTable('reports')
        .set({ status: 'incomplete' })
        .where('id', '=', run.id)
        .where('status', '=', 'running')
        .where('last_writer', '=', run.last_writer)
        .executeTakeFirst();
      marked += Number(result.numUpdatedRows);
    }
    return marked;
  }

  async close(): Promise<void> {
    await this.db.destroy();
  }

  private staleBefore(): number {
    return this.now() - this.runLeaseMs;
  }

  /**
   * Runs `work` in one transaction that first renews the run's lease; the renewal is also the check that the run
   * is still live (lease.ts), so a concurrent sweep and this write cannot both win.
   */
  private async writeToRun(reportId: string, work: (trx: Transaction<ReportDatabase>) => Promise<unknown>): Promise<void> {
    const now = this.now();
    const renewed = await this.db.transaction().execute(async (trx) => {
      const result = await trx
        .updateTable('reports')
        .set({ last_activity_at: now, last_writer: this.writer })
        .where('id', '=', reportId)
        .where('status', '=', 'running')
        .where('last_activity_at', '>=', now - this.runLeaseMs)
        .executeTakeFirst();
      if (result.numUpdatedRows === 0n) return false;
      await work(trx);
      return true;
    });
    if (!renewed) throw await this.refusal(reportId);
  }

  /** Why a write to the run was refused; a run found past its lease is marked `incomplete` on the way. */
  private async refusal(reportId: string): Promise<ReportError> {
    const row = await this.db
      .selectFrom('reports')
      .select(['status', 'last_activity_at'])
      .where('id', '=', reportId)
      .executeTakeFirst();
    if (!row) return new ReportError('not-found', `report ${reportId} does not exist`);
    const staleBefore = this.staleBefore();
    const status = effectiveStatus(row.status, row.last_activity_at, staleBefore);
    if (status !== row.status) await this.markLapsed(reportId, staleBefore);
    return new ReportError('not-running', `report ${reportId} is ${status}, not running`);
  }

  /** The connection this store runs on, for the other tables of the same database (the experiment journal). */
  get database(): Kysely<ReportDatabase> {
    return this.db;
  }

  // Rows were validated on the way in; parse again on the way out so a hand-edited or older database fails loudly.
  private async toReport(row: ReportsTable): Promise<Report> {
    const records = await this.db
      .selectFrom('report_records')
      .select('data')
      .where('report_id', '=', row.id)
      .orderBy('idx')
      .execute();
    const experiments = await this.db
      .selectFrom('report_experiments')
      .select('data')
      .where('report_id', '=', row.id)
      .orderBy('seq')
      .execute();
    const parsedRecords = records.map((r) => probeRecordSchema.parse(JSON.parse(r.data)));
    const events = experiments.map((e) => experimentEventSchema.parse(JSON.parse(e.data)));
    return {
      schemaVersion: REPORT_SCHEMA_VERSION,
      id: row.id,
      status: effectiveStatus(row.status, row.last_activity_at, this.staleBefore()),
      startedAt: row.started_at,
      endedAt: row.ended_at,
      dashboardVersion: row.dashboard_version,
      spec: probeSpecSchema.parse(JSON.parse(row.spec)),
      records: parsedRecords,
      outcome: row.outcome === null ? null : reportOutcomeSchema.parse(JSON.parse(row.outcome)),
      topology: row.topology === null ? null : reportTopologySchema.parse(JSON.parse(row.topology)),
      // Measured from the records on each read, so a run still going shows what its experiments did so far.
      experiments: measureExperiments(events, parsedRecords),
      redaction: { onShare: row.redact_on_share === 1, stripQuery: row.strip_query === 1, applied: null },
    };
  }
}

type ReportFields = {
  spec: Report['spec'];
  status: ReportStatus;
  startedAt: number;
  endedAt: number | null;
  lastActivityAt: number;
  lastWriter?: string;
  dashboardVersion: string;
  outcome: ReportOutcome | null;
  topology: Report['topology'];
  onShare: boolean;
  stripQuery: boolean;
};

/** The columns a run's end sets: its status and end time, and the outcome with the verdict the list filters on. */
function endingColumns(status: ReportStatus, endedAt: number | null, outcome: ReportOutcome | null) {
  return {
    status,
    ended_at: endedAt,
    outcome: outcome ? JSON.stringify(outcome) : null,
    verdict: outcome?.verdict.status ?? null,
    sticky: outcome ? (outcome.verdict.sticky ? 1 : 0) : null,
  };
}

function reportRow(id: string, f: ReportFields): ReportsTable {
  return {
    id,
    target: f.spec.target,
    host: targetHost(f.spec.target),
    status: f.status,
    verdict: f.outcome?.verdict.status ?? null,
    sticky: f.outcome ? (f.outcome.verdict.sticky ? 1 : 0) : null,
    started_at: f.startedAt,
    ended_at: f.endedAt,
    last_activity_at: f.lastActivityAt,
    last_writer: f.lastWriter ?? null,
    dashboard_version: f.dashboardVersion,
    spec: JSON.stringify(f.spec),
    outcome: f.outcome ? JSON.stringify(f.outcome) : null,
    topology: f.topology ? JSON.stringify(f.topology) : null,
    redact_on_share: f.onShare ? 1 : 0,
    strip_query: f.stripQuery ? 1 : 0,
    redaction_key: newRedactionKey(),
  };
}

/**
 * One row per record index, the last copy winning: a batch may repeat an index (a retried request), and PostgreSQL
 * refuses to upsert one key twice in a statement where SQLite would not.
 */
function toRecordRows(reportId: string, records: readonly ProbeRecord[]): ReportRecordsTable[] {
  const byIndex = new Map<number, string>();
  for (const record of records) {
    if (!Number.isSafeInteger(record.index) || record.index < 1) {
      throw new InputError(`record index ${String(record.index)} is not a positive integer`);
    }
    byIndex.set(record.index, JSON.stringify(record));
  }
  return Array.from(byIndex, ([idx, data]) => ({ report_id: reportId, idx, data }));
}

/** Multi-row upserts: a re-sent index replaces the stored record, so retrying a batch is safe. */
async function insertRecordRows(db: Db, rows: readonly ReportRecordsTable[]): Promise<void> {
  for (let i = 0; i < rows.length; i += RECORDS_PER_STATEMENT) {
    await db
      .insertInto('report_records')
      .values(rows.slice(i, i + RECORDS_PER_STATEMENT))
      .onConflict((oc) => oc.columns(['report_id', 'idx']).doUpdateSet({ data: (eb) => eb.ref('excluded.data') }))
      .execute();
  }
}

async function countRecords(db: Db, reportId: string): Promise<number> {
  const row = await db
    .selectFrom('report_records')
    .select((eb) => eb.fn.countAll<number | string>().as('n'))
    .where('report_id', '=', reportId)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Upserts by experiment id, keeping the first arrival's place: a retried request does not reorder or repeat events. */
async function insertExperimentRows(db: Db, reportId: string, events: readonly ExperimentEvent[]): Promise<void> {
  if (!events.length) return;
  const last = await db
    .selectFrom('report_experiments')
    .select((eb) => eb.fn.max<number | null>('seq').as('seq'))
    .where('report_id', '=', reportId)
    .executeTakeFirst();
  const first = Number(last?.seq ?? 0) + 1;
  await db
    .insertInto('report_experiments')
    .values(events.map((e, i) => ({ report_id: reportId, id: e.id, seq: first + i, data: JSON.stringify(e) })))
    .onConflict((oc) => oc.columns(['report_id', 'id']).doUpdateSet({ data: (eb) => eb.ref('excluded.data') }))
    .execute();
}
