import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { MIGRATION_NAMES, MIGRATION_TABLE } from './migrations';
import { openSqliteReportStore } from './sqlite';
import { describeReportStoreContract, type StoreHarness } from './test/store-contract';
import { testRecords, testSpec } from './test/fixtures';

function sqliteHarness(): StoreHarness & { file: string } {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'stickyscope-reports-'));
  const file = path.join(dir, 'nested', 'reports.db');
  return {
    file,
    open: (options) => openSqliteReportStore({ ...options, path: file }),
    // The bytes someone copying the database would get: the file and its write-ahead log.
    dump: async () => Buffer.concat([file, `${file}-wal`].filter(existsSync).map((f) => readFileSync(f))).toString('latin1'),
    dispose: async () => rmSync(dir, { recursive: true, force: true }),
  };
}

describeReportStoreContract('SQLite', async () => sqliteHarness());

describe('SQLite report store', () => {
  it('creates the folder and file, and records each migration once', async () => {
    const harness = sqliteHarness();
    try {
      const store = await harness.open({});
      expect(existsSync(harness.file)).toBe(true);
      await store.close();
      await (await harness.open({})).close();
      const db = new Database(harness.file, { readonly: true });
      const applied = db.prepare(`SELECT name FROM ${MIGRATION_TABLE} ORDER BY name`).all();
      db.close();
      expect(applied).toEqual(MIGRATION_NAMES.map((name) => ({ name })));
    } finally {
      await harness.dispose();
    }
  });

  it('works in memory', async () => {
    const store = await openSqliteReportStore({ path: ':memory:' });
    const report = await store.createReport({ spec: testSpec(), startedAt: 1, dashboardVersion: '0.1.0' });
    await store.appendRecords(report.id, testRecords(3));
    expect((await store.getReport(report.id))?.records).toHaveLength(3);
    await store.close();
  });
});
