import 'server-only';
// Picks the backend: PostgreSQL when a database URL is configured, else the SQLite file.
import type { KyselyReportStore, ReportStoreOptions } from './kysely-store';
import { openPostgresReportStore } from './postgres';
import { openSqliteReportStore } from './sqlite';

export type OpenReportStoreOptions = ReportStoreOptions & {
  /** `DATABASE_URL`; null for SQLite. */
  databaseUrl: string | null;
  /** `STICKYSCOPE_DB_PATH`, used when there is no database URL. */
  sqlitePath: string;
};

export function openReportStore({ databaseUrl, sqlitePath, ...options }: OpenReportStoreOptions): Promise<KyselyReportStore> {
  return databaseUrl ? openPostgresReportStore({ ...options, url: databaseUrl }) : openSqliteReportStore({ ...options, path: sqlitePath });
}
