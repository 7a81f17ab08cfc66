import 'server-only';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { ProbeRecord } from '@/lib/probe/types';
import { probeSpecSchema } from '@/lib/probe/spec';
import { toSharedReport } from './redact';
import {
  REPORT_SCHEMA_VERSION,
  probeRecordSchema,
  reportOutcomeSchema,
  reportTopologySchema,
  targetHost,
  type Report,
  type ReportStatus,
  type VerdictStatus,
} from './schema';
import {
  ReportError,
  hashShareId,
  newRedactionKey,
  newReportId,
  newShareId,
  type FinishReport,
  type NewReport,
  type ReportFilter,
  type ReportStore,
  type ReportSummary,
  type ShareOptions,
} from './store';

export const DEFAULT_DB_PATH = './data/stickyscope.db';

/** Append-only: a shipped migration is never edited, a change is a new entry. */
const migrations: { version: number; sql: string }[] = [
  {
    version: 1,
    sql: `
      CREATE TABLE reports (
        id TEXT PRIMARY KEY,
        target TEXT NOT NULL,
        host TEXT NOT NULL,
        status TEXT NOT NULL,
        verdict TEXT,
        sticky INTEGER,
        started_at INTEGER NOT NULL,
        ended_at INTEGER,
        dashboard_version TEXT NOT NULL,
        spec TEXT NOT NULL,
        outcome TEXT,
        topology TEXT,
        redact_on_share INTEGER NOT NULL,
        strip_query INTEGER NOT NULL,
        redaction_key BLOB NOT NULL
      );
      CREATE INDEX reports_started ON reports (started_at DESC);
      CREATE INDEX reports_host ON reports (host, started_at DESC);
      CREATE INDEX reports_status ON reports (status);
      CREATE TABLE report_records (
        report_id TEXT NOT NULL REFERENCES reports (id) ON DELETE CASCADE,
        idx INTEGER NOT NULL,
        data TEXT NOT NULL,
        PRIMARY KEY (report_id, idx)
      ) WITHOUT ROWID;
      CREATE TABLE shares (
        id_hash BLOB PRIMARY KEY,
        report_id TEXT NOT NULL REFERENCES reports (id) ON DELETE CASCADE,
        created_at INTEGER NOT NULL,
        expires_at INTEGER,
        revoked_at INTEGER
      );
      CREATE INDEX shares_report ON shares (report_id);
    `,
  },
];

type ReportRow = {
  id: string;
  target: string;
  host: string;
  status: ReportStatus;
  verdict: VerdictStatus | null;
  sticky: number | null;
  started_at: number;
  ended_at: number | null;
  dashboard_version: string;
  spec: string;
  outcome: string | null;
  topology: string | null;
  redact_on_share: number;
  strip_query: number;
  redaction_key: Buffer;
};

type SummaryRow = Pick<ReportRow, 'id' | 'target' | 'host' | 'status' | 'verdict' | 'sticky' | 'started_at' | 'ended_at'> & {
  records: number;
};

export type SqliteReportStoreOptions = {
  /** File path; `:memory:` for a throwaway database. */
  path?: string;
  /** Clock for share expiry; epoch ms. */
  now?: () => number;
};

export function openSqliteReportStore(options: SqliteReportStoreOptions = {}): SqliteReportStore {
  const file = options.path ?? DEFAULT_DB_PATH;
  if (file !== ':memory:') mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  const db = new Database(file);
  // WAL lets the reports list read while a run writes. synchronous=NORMAL keeps every committed batch across a
  // process crash (only an OS crash can lose the last commits), which is what "acknowledged" promises.
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  migrate(db);
  return new SqliteReportStore(db, options.now ?? Date.now);
}

function migrate(db: Database.Database): void {
  db.exec('CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at INTEGER NOT NULL)');
  const row = db.prepare('SELECT MAX(version) AS version FROM schema_migrations').get() as { version: number | null };
  const current = row.version ?? 0;
  const record = db.prepare('INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)');
  for (const m of migrations) {
    if (m.version <= current) continue;
    db.transaction(() => {
      db.exec(m.sql);
      record.run(m.version, Date.now());
    })();
  }
}

export class SqliteReportStore implements ReportStore {
  private readonly statements;
  private readonly listStatements = new Map<string, Database.Statement<[Record<string, string | number>], SummaryRow>>();
  private readonly insertRecords: (reportId: string, records: readonly ProbeRecord[]) => void;

  constructor(
    private readonly db: Database.Database,
    private readonly now: () => number,
  ) {
    this.statements = {
      insertReport: db.prepare(
        `INSERT INTO reports (id, target, host, status, verdict, sticky, started_at, ended_at, dashboard_version, spec,
           outcome, topology, redact_on_share, strip_query, redaction_key)
         VALUES (@id, @target, @host, @status, @verdict, @sticky, @started_at, @ended_at, @dashboard_version, @spec,
           @outcome, @topology, @redact_on_share, @strip_query, @redaction_key)`,
      ),
      status: db.prepare<[string], { status: ReportStatus }>('SELECT status FROM reports WHERE id = ?'),
      insertRecord: db.prepare('INSERT OR REPLACE INTO report_records (report_id, idx, data) VALUES (?, ?, ?)'),
      finish: db.prepare(
        `UPDATE reports SET status = @status, ended_at = @ended_at, outcome = @outcome, verdict = @verdict, sticky = @sticky
         WHERE id = @id AND status = 'running'`,
      ),
      report: db.prepare<[string], ReportRow>('SELECT * FROM reports WHERE id = ?'),
      records: db.prepare<[string], { data: string }>('SELECT data FROM report_records WHERE report_id = ? ORDER BY idx'),
      delete: db.prepare('DELETE FROM reports WHERE id = ?'),
      insertShare: db.prepare('INSERT INTO shares (id_hash, report_id, created_at, expires_at) VALUES (?, ?, ?, ?)'),
      share: db.prepare<[Buffer, number], { report_id: string }>(
        `SELECT report_id FROM shares WHERE id_hash = ? AND revoked_at IS NULL AND (expires_at IS NULL OR expires_at > ?)`,
      ),
      revokeShare: db.prepare('UPDATE shares SET revoked_at = ? WHERE id_hash = ? AND revoked_at IS NULL'),
      markIncomplete: db.prepare(`UPDATE reports SET status = 'incomplete' WHERE status = 'running'`),
    };
    const insertRecord = this.statements.insertRecord;
    // One transaction per batch: SQLite's cost is the commit, not the row.
    this.insertRecords = db.transaction((reportId: string, records: readonly ProbeRecord[]) => {
      for (const r of records) insertRecord.run(reportId, r.index, JSON.stringify(r));
    });
  }

  async createReport(input: NewReport): Promise<Report> {
    const id = newReportId();
    const spec = probeSpecSchema.parse(input.spec);
    const topology = input.topology ? reportTopologySchema.parse(input.topology) : null;
    this.statements.insertReport.run({
      id,
      target: spec.target,
      host: targetHost(spec.target),
      status: 'running',
      verdict: null,
      sticky: null,
      started_at: input.startedAt,
      ended_at: null,
      dashboard_version: input.dashboardVersion,
      spec: JSON.stringify(spec),
      outcome: null,
      topology: topology ? JSON.stringify(topology) : null,
      redact_on_share: input.redaction?.onShare === false ? 0 : 1,
      strip_query: input.redaction?.stripQuery ? 1 : 0,
      redaction_key: newRedactionKey(),
    });
    return this.mustGet(id);
  }

  async appendRecords(reportId: string, records: readonly ProbeRecord[]): Promise<void> {
    this.requireRunning(reportId);
    if (records.length > 0) this.insertRecords(reportId, records);
  }

  async finishReport(reportId: string, finish: FinishReport): Promise<Report> {
    this.requireRunning(reportId);
    const outcome = reportOutcomeSchema.parse(finish.outcome);
    this.statements.finish.run({
      id: reportId,
      status: finish.status,
      ended_at: finish.endedAt,
      outcome: JSON.stringify(outcome),
      verdict: outcome.verdict.status,
      sticky: outcome.verdict.sticky ? 1 : 0,
    });
    return this.mustGet(reportId);
  }

  async getReport(reportId: string): Promise<Report | null> {
    const row = this.statements.report.get(reportId);
    return row ? this.toReport(row) : null;
  }

  async listReports(filter: ReportFilter = {}): Promise<ReportSummary[]> {
    const where: string[] = [];
    const params: Record<string, string | number> = { limit: Math.min(Math.max(filter.limit ?? 100, 1), 1000) };
    if (filter.host) {
      where.push('host = @host');
      params.host = filter.host.replace(/^\[|\]$/g, '').toLowerCase();
    }
    if (filter.verdict) {
      where.push('verdict = @verdict');
      params.verdict = filter.verdict;
    }
    if (filter.from !== undefined) {
      where.push('started_at >= @from');
      params.from = filter.from;
    }
    if (filter.to !== undefined) {
      where.push('started_at <= @to');
      params.to = filter.to;
    }
    const sql = `SELECT id, target, host, status, verdict, sticky, started_at, ended_at,
           (SELECT COUNT(*) FROM report_records WHERE report_id = reports.id) AS records
         FROM reports ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
         ORDER BY started_at DESC, id LIMIT @limit`;
    // At most 16 shapes of this query (one per combination of filters), each prepared once.
    let statement = this.listStatements.get(sql);
    if (!statement) {
      statement = this.db.prepare<[Record<string, string | number>], SummaryRow>(sql);
      this.listStatements.set(sql, statement);
    }
    const rows = statement.all(params);
    return rows.map((r) => ({
      id: r.id,
      target: r.target,
      host: r.host,
      status: r.status,
      verdict: r.verdict,
      sticky: r.sticky === null ? null : r.sticky === 1,
      startedAt: r.started_at,
      endedAt: r.ended_at,
      records: r.records,
    }));
  }

  async deleteReport(reportId: string): Promise<boolean> {
    return this.statements.delete.run(reportId).changes > 0;
  }

  async importReport(report: Report): Promise<Report> {
    const id = newReportId();
    const status: ReportStatus = report.status === 'running' ? 'incomplete' : report.status;
    this.db.transaction(() => {
      this.statements.insertReport.run({
        id,
        target: report.spec.target,
        host: targetHost(report.spec.target),
        status,
        verdict: report.outcome?.verdict.status ?? null,
        sticky: report.outcome ? (report.outcome.verdict.sticky ? 1 : 0) : null,
        started_at: report.startedAt,
        ended_at: report.endedAt,
        dashboard_version: report.dashboardVersion,
        spec: JSON.stringify(report.spec),
        outcome: report.outcome ? JSON.stringify(report.outcome) : null,
        topology: report.topology ? JSON.stringify(report.topology) : null,
        redact_on_share: report.redaction.onShare ? 1 : 0,
        strip_query: report.redaction.stripQuery ? 1 : 0,
        redaction_key: newRedactionKey(),
      });
      this.insertRecords(id, report.records);
    })();
    return this.mustGet(id);
  }

  async createShare(reportId: string, options: ShareOptions = {}): Promise<{ shareId: string }> {
    if (!this.statements.status.get(reportId)) throw new ReportError('not-found', `report ${reportId} does not exist`);
    const shareId = newShareId();
    this.statements.insertShare.run(hashShareId(shareId), reportId, this.now(), options.expiresAt ?? null);
    return { shareId };
  }

  async resolveShare(shareId: string): Promise<Report | null> {
    const share = this.statements.share.get(hashShareId(shareId), this.now());
    if (!share) return null;
    const row = this.statements.report.get(share.report_id);
    if (!row) return null;
    return toSharedReport(this.toReport(row), { key: row.redaction_key });
  }

  async revokeShare(shareId: string): Promise<boolean> {
    return this.statements.revokeShare.run(this.now(), hashShareId(shareId)).changes > 0;
  }

  async markIncompleteOnStartup(): Promise<number> {
    return this.statements.markIncomplete.run().changes;
  }

  async close(): Promise<void> {
    this.db.close();
  }

  private requireRunning(reportId: string): void {
    const row = this.statements.status.get(reportId);
    if (!row) throw new ReportError('not-found', `report ${reportId} does not exist`);
    if (row.status !== 'running') throw new ReportError('not-running', `report ${reportId} is ${row.status}, not running`);
  }

  private mustGet(reportId: string): Report {
    const row = this.statements.report.get(reportId);
    if (!row) throw new ReportError('not-found', `report ${reportId} does not exist`);
    return this.toReport(row);
  }

  // Rows were validated on the way in; parse again on the way out so a hand-edited or older database fails loudly.
  private toReport(row: ReportRow): Report {
    const records = this.statements.records.all(row.id).map((r) => probeRecordSchema.parse(JSON.parse(r.data)));
    return {
      schemaVersion: REPORT_SCHEMA_VERSION,
      id: row.id,
      status: row.status,
      startedAt: row.started_at,
      endedAt: row.ended_at,
      dashboardVersion: row.dashboard_version,
      spec: probeSpecSchema.parse(JSON.parse(row.spec)),
      records,
      outcome: row.outcome === null ? null : reportOutcomeSchema.parse(JSON.parse(row.outcome)),
      topology: row.topology === null ? null : reportTopologySchema.parse(JSON.parse(row.topology)),
      redaction: { onShare: row.redact_on_share === 1, stripQuery: row.strip_query === 1, applied: null },
    };
  }
}
