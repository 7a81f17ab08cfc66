// The report store contract on a real PostgreSQL: a private cluster of Debian's server (scripts/lab/postgres.mjs),
// one fresh database per test.
import { execFile } from 'node:child_process';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MIGRATION_NAMES, MIGRATION_TABLE } from '@/lib/reports/migrations';
import { openPostgresReportStore } from '@/lib/reports/postgres';
import { describeReportStoreContract } from '@/lib/reports/test/store-contract';
import { describeExperimentJournalContract } from '@/lib/experiments/test/journal-contract';
import { findPostgresBinDir, startPostgres, type PostgresCluster } from '../../scripts/lab/postgres.mjs';

const binDir = findPostgresBinDir();
if (!binDir) {
  process.stderr.write('[report-store-postgres] skipped: no PostgreSQL server in /usr/lib/postgresql/*/bin (apt-get install -y postgresql)\n');
}

function pgDump(cluster: PostgresCluster, url: string): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(path.join(cluster.binDir, 'pg_dump'), ['--data-only', url], { maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) =>
      error ? reject(new Error(`pg_dump: ${stderr || error.message}`)) : resolve(stdout),
    );
  });
}

describe.skipIf(!binDir)('report store on PostgreSQL', () => {
  let cluster: PostgresCluster;
  let databases = 0;
  const freshDatabase = () => cluster.createDatabase(`reports_${++databases}`);

  beforeAll(async () => {
    cluster = await startPostgres();
  });

  afterAll(async () => {
    await cluster?.stop();
  });

  describeReportStoreContract('PostgreSQL', async () => {
    const url = await freshDatabase();
    return {
      open: (options) => openPostgresReportStore({ ...options, url }),
      dump: () => pgDump(cluster, url),
      // The cluster, with every database in it, is deleted after the file.
      dispose: async () => undefined,
    };
  });

  describeExperimentJournalContract('PostgreSQL', async () => {
    const url = await freshDatabase();
    return { open: () => openPostgresReportStore({ url }), dispose: async () => undefined };
  });

  it('migrates once when several dashboards start together on an empty database', async () => {
    const url = await freshDatabase();
    const stores = await Promise.all([1, 2, 3].map(() => openPostgresReportStore({ url })));
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      const { rows } = await client.query<{ name: string }>(`SELECT name FROM ${MIGRATION_TABLE} ORDER BY name`);
      expect(rows.map((r) => r.name)).toEqual(MIGRATION_NAMES);
    } finally {
      await client.end();
      for (const store of stores) await store.close();
    }
  });

  it('says which database it could not reach', async () => {
    const url = new URL(cluster.url);
    url.password = 'wrong-password';
    await expect(openPostgresReportStore({ url: url.href })).rejects.toThrow(/password authentication failed/);
  });
});
