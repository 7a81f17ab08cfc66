// "Killing the dashboard mid-run leaves an incomplete report with every record that was acknowledged": a real
// process writes a run in batches and gets SIGKILL while it writes; a restarted dashboard then reads the store.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_RUN_LEASE_MS } from '@/lib/reports/lease';
import { openReportStore, type OpenReportStoreOptions } from '@/lib/reports/open';
import { testRecords } from '@/lib/reports/test/fixtures';
import { findPostgresBinDir, startPostgres, type PostgresCluster } from '../../scripts/lab/postgres.mjs';

const root = fileURLToPath(new URL('../../', import.meta.url));
const writer = path.join(root, 'lib', 'reports', 'test', 'append-until-killed.ts');
const BATCH = 200;
/** Batches acknowledged before the kill; the kill then lands while the next one is being written. */
const ACKS_BEFORE_KILL = 25;
const WRITER_TIMEOUT_MS = 60_000;

type KilledRun = { reportId: string; lastAck: number };

/** Starts the writer, kills it with SIGKILL right after its ACKS_BEFORE_KILL-th acknowledged batch. */
function writeUntilKilled(where: string): Promise<KilledRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--conditions=react-server', '--import', 'tsx', writer, where, String(BATCH)], {
      cwd: root,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, TSX_TSCONFIG_PATH: path.join(root, 'tsconfig.json') },
    });
    let reportId = '';
    let lastAck = 0;
    let acks = 0;
    let buffered = '';
    let stderr = '';
    const guard = setTimeout(() => child.kill('SIGKILL'), WRITER_TIMEOUT_MS);
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.stdout.setEncoding('utf8').on('data', (d: string) => {
      buffered += d;
      const lines = buffered.split('\n');
      buffered = lines.pop() ?? '';
      for (const line of lines) {
        const [word, value = ''] = line.split(' ');
        if (word === 'report') reportId = value;
        if (word === 'ack') {
          lastAck = Number(value);
          if (++acks === ACKS_BEFORE_KILL) child.kill('SIGKILL');
        }
      }
    });
    child.on('close', (code, signal) => {
      clearTimeout(guard);
      if (signal === 'SIGKILL' && acks >= ACKS_BEFORE_KILL && reportId) resolve({ reportId, lastAck });
      else reject(new Error(`the writer ended (${signal ?? code}) after ${acks} acknowledged batches:\n${stderr.slice(-1500)}`));
    });
  });
}

async function expectIncompleteWithEveryAcknowledgedRecord(where: Omit<OpenReportStoreOptions, 'now'>): Promise<void> {
  const target = where.databaseUrl ?? where.sqlitePath;
  const { reportId, lastAck } = await writeUntilKilled(target);

  // A dashboard on another host cannot know the writer died: within the lease the run looks like a live one...
  const elsewhere = { host: 'another-dashboard-host', pid: 1 };
  const remote = await openReportStore({ ...where, writer: elsewhere });
  try {
    expect(await remote.markIncompleteOnStartup()).toBe(0);
    expect((await remote.getReport(reportId))?.status).toBe('running');
  } finally {
    await remote.close();
  }
  // ...and once the lease has lapsed it reads as incomplete there.
  const later = await openReportStore({ ...where, writer: elsewhere, now: () => Date.now() + DEFAULT_RUN_LEASE_MS + 1 });
  try {
    expect((await later.getReport(reportId))?.status).toBe('incomplete');
  } finally {
    await later.close();
  }

  // Restarted on the writer's own host, where its process is gone: marked at once, with every acknowledged record.
  const restarted = await openReportStore(where);
  try {
    expect(await restarted.markIncompleteOnStartup()).toBe(1);
    const report = await restarted.getReport(reportId);
    expect(report).toMatchObject({ status: 'incomplete', endedAt: null, outcome: null });
    const stored = report?.records.length ?? 0;
    // Every acknowledged record, and whole batches only: the batch being written at the kill is all there or absent.
    expect(stored).toBeGreaterThanOrEqual(lastAck);
    expect(stored % BATCH).toBe(0);
    expect(report?.records).toEqual(testRecords(stored));
    expect(await restarted.markIncompleteOnStartup()).toBe(0);
  } finally {
    await restarted.close();
  }
}

describe('a dashboard killed mid-run', () => {
  it('leaves an incomplete SQLite report with every acknowledged record', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'stickyscope-crash-'));
    try {
      await expectIncompleteWithEveryAcknowledgedRecord({ databaseUrl: null, sqlitePath: path.join(dir, 'reports.db') });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  const binDir = findPostgresBinDir();
  if (!binDir) process.stderr.write('[report-store-crash] PostgreSQL part skipped: no server in /usr/lib/postgresql/*/bin\n');

  describe.skipIf(!binDir)('on PostgreSQL', () => {
    let cluster: PostgresCluster;
    beforeAll(async () => {
      // Durable like a production server: an acknowledged commit must survive the writer's death.
      cluster = await startPostgres({ durable: true });
    });
    afterAll(async () => {
      await cluster?.stop();
    });

    it('leaves an incomplete PostgreSQL report with every acknowledged record', async () => {
      await expectIncompleteWithEveryAcknowledgedRecord({ databaseUrl: cluster.url, sqlitePath: '' });
    });
  });
});
