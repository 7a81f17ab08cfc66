// Versioned schema of the report tables, the same on SQLite and PostgreSQL, applied by kysely's Migrator (which
// records each applied name and, on PostgreSQL, holds an advisory lock so replicas starting together migrate once).
// Append-only: a shipped migration is never edited; a change is a new entry with a later name.
import { Migrator, sql, type Kysely, type Migration } from 'kysely';
import type { ReportDatabase, SqlDialect } from './db-schema';

export const MIGRATION_TABLE = 'stickyscope_migration';

function reportMigrations(dialect: SqlDialect): Record<string, Migration> {
  const binary = dialect === 'postgres' ? 'bytea' : 'blob';
  return {
    '0001-reports': {
      async up(db: Kysely<unknown>) {
        await db.schema
          .createTable('reports')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('target', 'text', (c) => c.notNull())
          .addColumn('host', 'text', (c) => c.notNull())
          .addColumn('status', 'text', (c) => c.notNull())
          .addColumn('verdict', 'text')
          .addColumn('sticky', 'integer')
          .addColumn('started_at', 'bigint', (c) => c.notNull())
          .addColumn('ended_at', 'bigint')
          .addColumn('last_activity_at', 'bigint', (c) => c.notNull())
          .addColumn('dashboard_version', 'text', (c) => c.notNull())
          .addColumn('spec', 'text', (c) => c.notNull())
          .addColumn('outcome', 'text')
          .addColumn('topology', 'text')
          .addColumn('redact_on_share', 'integer', (c) => c.notNull())
          .addColumn('strip_query', 'integer', (c) => c.notNull())
          .addColumn('redaction_key', binary, (c) => c.notNull())
          .execute();
        await db.schema.createIndex('reports_started').on('reports').columns(['started_at']).execute();
        await db.schema.createIndex('reports_host').on('reports').columns(['host', 'started_at']).execute();
        await db.schema.createIndex('reports_running').on('reports').columns(['status', 'last_activity_at']).execute();

        let records = db.schema
          .createTable('report_records')
          .addColumn('report_id', 'text', (c) => c.notNull().references('reports.id').onDelete('cascade'))
          .addColumn('idx', 'integer', (c) => c.notNull())
          .addColumn('data', 'text', (c) => c.notNull())
          .addPrimaryKeyConstraint('report_records_pk', ['report_id', 'idx']);
        // Records live clustered by (report, index) on SQLite too, as PostgreSQL's primary key index serves them.
        if (dialect === 'sqlite') records = records.modifyEnd(sql`without rowid`);
        await records.execute();

        await db.schema
          .createTable('shares')
          .addColumn('id_hash', binary, (c) => c.primaryKey())
          .addColumn('report_id', 'text', (c) => c.notNull().references('reports.id').onDelete('cascade'))
          .addColumn('created_at', 'bigint', (c) => c.notNull())
          .addColumn('expires_at', 'bigint')
          .addColumn('revoked_at', 'bigint')
          .execute();
        await db.schema.createIndex('shares_report').on('shares').columns(['report_id']).execute();
      },
    },
    '0002-run-writer': {
      async up(db: Kysely<unknown>) {
        // `host/pid` of the dashboard process that last wrote to a run (lease.ts).
        await db.schema.alterTable('reports').addColumn('last_writer', 'text').execute();
      },
    },
    '0003-experiments': {
      async up(db: Kysely<unknown>) {
        await db.schema
          .createTable('report_experiments')
          .addColumn('report_id', 'text', (c) => c.notNull().references('reports.id').onDelete('cascade'))
          .addColumn('id', 'text', (c) => c.notNull())
          .addColumn('seq', 'integer', (c) => c.notNull())
          .addColumn('data', 'text', (c) => c.notNull())
          .addPrimaryKeyConstraint('report_experiments_pk', ['report_id', 'id'])
          .execute();
        await db.schema
          .createTable('experiment_log')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('at', 'bigint', (c) => c.notNull())
          .addColumn('who', 'text', (c) => c.notNull())
          .addColumn('step', 'text', (c) => c.notNull())
          .addColumn('action', 'text')
          .addColumn('service', 'text')
          .addColumn('task_id', 'text')
          .addColumn('replica', 'text')
          .addColumn('result', 'text', (c) => c.notNull())
          .addColumn('message', 'text', (c) => c.notNull())
          .execute();
        await db.schema.createIndex('experiment_log_at').on('experiment_log').columns(['at']).execute();
        await db.schema
          .createTable('experiment_confirmations')
          .addColumn('token_hash', binary, (c) => c.primaryKey())
          .addColumn('intent', 'text', (c) => c.notNull())
          .addColumn('expires_at', 'bigint', (c) => c.notNull())
          .execute();
      },
    },
  };
}

export const MIGRATION_NAMES = Object.keys(reportMigrations('sqlite'));

/** Brings the database to the newest schema; throws with the failing migration's name and cause. */
export async function migrateToLatest(db: Kysely<ReportDatabase>, dialect: SqlDialect): Promise<void> {
  const migrator = new Migrator({
    db,
    provider: { getMigrations: async () => reportMigrations(dialect) },
    migrationTableName: MIGRATION_TABLE,
    migrationLockTableName: `${MIGRATION_TABLE}_lock`,
  });
  const { error, results } = await migrator.migrateToLatest();
  if (error) {
    const failed = results?.find((r) => r.status === 'Error')?.migrationName;
    throw new Error(`report database migration ${failed ?? ''} failed: ${error instanceof Error ? error.message : String(error)}`, {
      cause: error,
    });
  }
}
