// Part of `npm run bench` (run by run.mjs through tsx; also runs alone): how many probe records per second the
// report store writes, as the Probe page sends them while a run goes.
//
//   report-store.ts [records per round, default 100000] [rounds, default 3] [records per batch, default 200]
//
// The records are real: the probe engine (Node transport, browser cookie rules, identity auto) runs 1,000 requests
// against a small cookie-sticky balancer on loopback, and its records are replayed with new indexes up to the round's
// size. Each round opens a fresh store, creates a run and appends the records batch by batch, each batch awaited
// before the next (one writer, as one page sends them); the rate is records over the time from the first append to
// the last acknowledgement, best round kept. SQLite is a file under .lab/, with the store's production settings.
// PostgreSQL, when its server is installed, is a private cluster (scripts/lab/postgres.mjs) with fsync and
// synchronous commit on, as a production server would run; every acknowledged batch is on disk there.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { parseProbeSpec } from '@/lib/probe/spec';
import type { ProbeRecord } from '@/lib/probe/types';
import { openPostgresReportStore } from '@/lib/reports/postgres';
import { openSqliteReportStore } from '@/lib/reports/sqlite';
import type { ReportStore } from '@/lib/reports/store';
import { findPostgresBinDir, startPostgres } from '../lab/postgres.mjs';
import { realRecords, replay } from './real-records';

const GOAL_SQLITE = 20_000;
const [recordsArg = '100000', roundsArg = '3', batchArg = '200'] = process.argv.slice(2);
const RECORDS = Number(recordsArg);
const ROUNDS = Number(roundsArg);
const BATCH = Number(batchArg);
if (![RECORDS, ROUNDS, BATCH].every(Number.isInteger) || RECORDS < 1000 || RECORDS > 1_000_000 || ROUNDS < 1 || ROUNDS > 10 || BATCH < 1 || BATCH > 10_000) {
  console.error('usage: report-store.ts [records 1000..1000000] [rounds 1..10] [batch 1..10000]');
  process.exit(2);
}
const root = fileURLToPath(new URL('../../', import.meta.url));

type Round = { rate: number; batchMedianMs: number; batchMaxMs: number };

async function measure(store: ReportStore, spec: ReturnType<typeof parseProbeSpec>, records: readonly ProbeRecord[]): Promise<Round> {
  const report = await store.createReport({ spec, startedAt: Date.now(), dashboardVersion: 'bench' });
  const batchMs: number[] = [];
  const started = performance.now();
  for (let i = 0; i < records.length; i += BATCH) {
    const t0 = performance.now();
    await store.appendRecords(report.id, records.slice(i, i + BATCH));
    batchMs.push(performance.now() - t0);
  }
  const seconds = (performance.now() - started) / 1000;
  const stored = (await store.listReports({ limit: 1 }))[0]?.records;
  if (stored !== records.length) throw new Error(`stored ${stored} of ${records.length} records`);
  batchMs.sort((a, b) => a - b);
  return { rate: records.length / seconds, batchMedianMs: batchMs[batchMs.length >> 1] ?? 0, batchMaxMs: batchMs.at(-1) ?? 0 };
}

async function bestOf(label: string, open: (round: number) => Promise<ReportStore>, run: (store: ReportStore) => Promise<Round>): Promise<Round> {
  let best: Round = { rate: 0, batchMedianMs: 0, batchMaxMs: 0 };
  for (let round = 0; round < ROUNDS; round++) {
    const store = await open(round);
    try {
      const r = await run(store);
      process.stderr.write(`  ${label} round ${round + 1}: ${Math.round(r.rate)} records/s, batch median ${r.batchMedianMs.toFixed(2)} ms\n`);
      if (r.rate > best.rate) best = r;
    } finally {
      await store.close();
    }
  }
  return best;
}

async function main(): Promise<void> {
  const { spec, templates } = await realRecords();
  const records = replay(templates, RECORDS);
  const meanBytes = records.reduce((sum, r) => sum + JSON.stringify(r).length, 0) / records.length;
  console.error(`report store bench: ${RECORDS} records per round in batches of ${BATCH}, ${ROUNDS} round(s), ${Math.round(meanBytes)} bytes of JSON per record`);
  const rows: { store: string; result: Round | string }[] = [];

  mkdirSync(path.join(root, '.lab'), { recursive: true });
  const dir = mkdtempSync(path.join(root, '.lab', 'bench-store-'));
  try {
    const sqlite = await bestOf(
      'SQLite',
      (round) => openSqliteReportStore({ path: path.join(dir, `round-${round}.db`) }),
      (store) => measure(store, spec, records),
    );
    rows.push({ store: 'SQLite (WAL, synchronous=NORMAL)', result: sqlite });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }

  if (!findPostgresBinDir()) {
    rows.push({ store: 'PostgreSQL', result: 'skipped: no server in /usr/lib/postgresql/*/bin' });
  } else {
    const cluster = await startPostgres({ durable: true });
    try {
      const postgres = await bestOf(
        'PostgreSQL',
        async (round) => openPostgresReportStore({ url: await cluster.createDatabase(`bench_${round}`) }),
        (store) => measure(store, spec, records),
      );
      rows.push({ store: 'PostgreSQL (local, fsync on)', result: postgres });
    } finally {
      await cluster.stop();
    }
  }

  console.log(`\nReport store writes, ${RECORDS} records in batches of ${BATCH}, one writer, best of ${ROUNDS}:\n`);
  console.log('| store | records/s | batch median ms | batch max ms |');
  console.log('| --- | ---: | ---: | ---: |');
  for (const { store, result } of rows) {
    if (typeof result === 'string') console.log(`| ${store} | ${result} | | |`);
    else console.log(`| ${store} | ${Math.round(result.rate)} | ${result.batchMedianMs.toFixed(2)} | ${result.batchMaxMs.toFixed(2)} |`);
  }
  const sqliteRate = rows.find((r) => r.store.startsWith('SQLite'))?.result;
  const met = typeof sqliteRate !== 'string' && (sqliteRate?.rate ?? 0) >= GOAL_SQLITE;
  console.log(`\nGoal: SQLite ≥ ${GOAL_SQLITE} records/s: ${met ? 'met' : 'NOT met'}`);
}

main().catch((error: unknown) => {
  console.error(`report store bench: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
