// Row types of the dashboard's tables (reports and the experiment journal), as kysely sees them on both databases. Epoch ms are BIGINT (read back as numbers,
// see postgres.ts), booleans are 0/1 integers and JSON is text, so both backends store and return the same values.
import type { ReportStatus, VerdictStatus } from './schema';

export type SqlDialect = 'sqlite' | 'postgres';

export interface ReportsTable {
  id: string;
  target: string;
  /** Lower-cased host of the target, the list filter's key. */
  host: string;
  status: ReportStatus;
  verdict: VerdictStatus | null;
  sticky: number | null;
  started_at: number;
  ended_at: number | null;
  last_activity_at: number;
  /** `host/pid` of the process that last wrote to the run; null for imports and older rows. */
  last_writer: string | null;
  dashboard_version: string;
  spec: string;
  outcome: string | null;
  topology: string | null;
  redact_on_share: number;
  strip_query: number;
  redaction_key: Buffer;
}

export interface ReportRecordsTable {
  report_id: string;
  idx: number;
  data: string;
}

export interface SharesTable {
  /** SHA-256 of the share id; the id itself is never stored. */
  id_hash: Buffer;
  report_id: string;
  created_at: number;
  expires_at: number | null;
  revoked_at: number | null;
}

export interface ReportExperimentsTable {
  report_id: string;
  /** The experiment's log id; an event re-sent by a retried request replaces itself. */
  id: string;
  /** Order of arrival within the report. */
  seq: number;
  /** The event as JSON (`experimentEventSchema`); measurements are derived from the records when read. */
  data: string;
}

/** Every experiment preview, confirmation and run, from every dashboard process on this database. */
export interface ExperimentLogTable {
  id: string;
  /** Epoch ms. */
  at: number;
  who: string;
  step: string;
  action: string | null;
  service: string | null;
  task_id: string | null;
  replica: string | null;
  result: string;
  message: string;
}

/** Confirmations handed out by previews, until confirmed or expired; any dashboard process may redeem one. */
export interface ExperimentConfirmationsTable {
  /** SHA-256 of the token; the token itself is never stored. */
  token_hash: Buffer;
  /** The action, service and task the token allows, as JSON. */
  intent: string;
  /** Epoch ms. */
  expires_at: number;
}

export interface ReportDatabase {
  reports: ReportsTable;
  report_records: ReportRecordsTable;
  shares: SharesTable;
  report_experiments: ReportExperimentsTable;
  experiment_log: ExperimentLogTable;
  experiment_confirmations: ExperimentConfirmationsTable;
}
