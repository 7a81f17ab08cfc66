import 'server-only';
// The report store on PostgreSQL (node-postgres), chosen by DATABASE_URL; the same queries and schema as SQLite.
import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import type { ReportDatabase } from './db-schema';
import { openMigratedStore, type KyselyReportStore, type ReportStoreOptions } from './kysely-store';

export type PostgresReportStoreOptions = ReportStoreOptions & {
  /** postgres:// or postgresql:// URL. */
  url: string;
  /** Connections this process may hold; default 10. */
  maxConnections?: number;
};

// BIGINT (epoch ms, COUNT(*)) arrives as text by default, since it may exceed 2^53; ours never do.
const types: pg.CustomTypesConfig = {
  getTypeParser: (oid, format) => (oid === pg.types.builtins.INT8 ? Number : pg.types.getTypeParser(oid, format)),
};

export async function openPostgresReportStore(options: PostgresReportStoreOptions): Promise<KyselyReportStore> {
  const pool = new pg.Pool({ connectionString: options.url, max: options.maxConnections ?? 10, types });
  // An idle connection the server drops (restart, failover) is replaced on next use; without a listener the
  // error would end the process.
  pool.on('error', (error) => console.error(`stickyscope: report database connection lost: ${error.message}`));
  const db = new Kysely<ReportDatabase>({ dialect: new PostgresDialect({ pool }) });
  return openMigratedStore(db, 'postgres', options);
}
