// A dashboard process writing one run until it is killed, for e2e/integration/report-store-crash.test.ts.
//
//   append-until-killed.ts <sqlite file | postgres:// URL> <records per batch>
//
// Prints `report <id>` once the run exists, then `ack <last index>` each time the store acknowledged a batch
// (stdout on a pipe is synchronous on Linux, so a printed ack was acknowledged before the next batch began).
import { PROBE_LIMITS } from '@/lib/probe/spec';
import { openReportStore } from '../open';
import { testRecords, testSpec } from './fixtures';

const [where = '', batchArg] = process.argv.slice(2);
const batch = Number(batchArg);
if (!where || !Number.isInteger(batch) || batch < 1) {
  process.stderr.write('usage: append-until-killed.ts <sqlite file | postgres:// URL> <records per batch>\n');
  process.exit(2);
}

async function main(): Promise<void> {
  const isUrl = /^postgres(ql)?:\/\//.test(where);
  const store = await openReportStore({ databaseUrl: isUrl ? where : null, sqlitePath: where });
  const spec = testSpec({ requests: PROBE_LIMITS.maxRequests });
  const report = await store.createReport({ spec, startedAt: Date.now(), dashboardVersion: 'crash-test' });
  process.stdout.write(`report ${report.id}\n`);
  for (let next = 1; next + batch - 1 <= PROBE_LIMITS.maxRequests; next += batch) {
    await store.appendRecords(report.id, testRecords(batch, next));
    process.stdout.write(`ack ${next + batch - 1}\n`);
  }
  await store.close();
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
