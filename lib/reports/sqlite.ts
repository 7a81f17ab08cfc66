import 'server-only';
// The report store on a local SQLite file (better-sqlite3), the default backend.
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { CompiledQuery, Kysely, SqliteAdapter, SqliteDialect, SqliteDriver, type DatabaseConnection, type Driver } from 'kysely';
import type { ReportDatabase } from './db-schema';
import { openMigratedStore, type KyselyReportStore, type ReportStoreOptions } from './kysely-store';

export const DEFAULT_DB_PATH = './data/stickyscope.db';

export type SqliteReportStoreOptions = ReportStoreOptions & {
  /** File path; `:memory:` for a throwaway database. */
  path?: string;
};

/**
 * Every transaction of the store writes, so each takes SQLite's write lock up front (`begin immediate`, waiting up to
 * `busy_timeout` for another process) instead of failing when it upgrades from a read.
 */
class ImmediateTransactionDriver extends SqliteDriver {
  override async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('begin immediate'));
  }
}

/** SQLite runs DDL in transactions; saying so makes each migration run read and apply under that lock. */
class TransactionalDdlAdapter extends SqliteAdapter {
  override get supportsTransactionalDdl(): boolean {
    return true;
  }
}

/**
 * Several processes opening one file at once (a first start, or an upgrade with a new migration) thereby migrate it
 * one after another; kysely's own SQLite migration lock covers a single connection.
 */
class ReportSqliteDialect extends SqliteDialect {
  constructor(private readonly database: Database.Database) {
    super({ database });
  }

  override createDriver(): Driver {
    return new ImmediateTransactionDriver({ database: this.database });
  }

  override createAdapter(): SqliteAdapter {
    return new TransactionalDdlAdapter();
  }
}

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
  const db = new Kysely<ReportDatabase>({ dialect: new ReportSqliteDialect(database) });
  return openMigratedStore(db, 'sqlite', options);
}
