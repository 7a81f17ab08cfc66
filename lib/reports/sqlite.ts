import 'server-only';
// The report store on a local SQLite file (better-sqlite3), the default backend.
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import type { ReportDatabase } from './db-schema';
import { openMigratedStore, type KyselyReportStore, type ReportStoreOptions } from './kysely-store';

export const DEFAULT_DB_PATH = './data/stickyscope.db';

export type SqliteReportStoreOptions = ReportStoreOptions & {
  /** File path; `:memory:` for a throwaway database. */
  path?: string;
};

export async function openSqliteReportStore(options: SqliteReportStoreOptions = {}): Promise<KyselyReportStore> {
  const file = options.path ?? DEFAULT_DB_PATH;
  if (file !== ':memory:') mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  const database = new Database(file);
  // WAL lets the reports list read while a run writes. synchronous=NORMAL keeps every committed batch across a
  // process crash (only an OS crash can lose the last commits), which is what "acknowledged" promises.
  database.pragma('journal_mode = WAL');
  database.pragma('synchronous = NORMAL');
  database.pragma('foreign_keys = ON');
  // Other dashboard processes on the same file wait for each other's write transactions instead of failing.
  database.pragma('busy_timeout = 5000');
  const db = new Kysely<ReportDatabase>({ dialect: new SqliteDialect({ database }) });
  return openMigratedStore(db, 'sqlite', options);
}
