import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openSqliteReportStore } from '@/lib/reports/sqlite';
import { describeExperimentJournalContract } from './test/journal-contract';

describeExperimentJournalContract('SQLite', async () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'stickyscope-journal-'));
  const file = path.join(dir, 'dashboard.db');
  return { open: () => openSqliteReportStore({ path: file }), dispose: async () => rmSync(dir, { recursive: true, force: true }) };
});
