// A dashboard process opening the report store, for e2e/integration/report-store-sqlite-processes.test.ts.
//
//   open-on-signal.ts <sqlite file>
//
// Prints `ready` once loaded, opens (and so migrates) the store when a line arrives on stdin, prints `opened` and
// exits 0; on failure prints the error to stderr and exits 1. Several of these released together race to migrate.
import { createInterface } from 'node:readline';
import { openSqliteReportStore } from '../sqlite';

const [file = ''] = process.argv.slice(2);
if (!file) {
  process.stderr.write('usage: open-on-signal.ts <sqlite file>\n');
  process.exit(2);
}

const lines = createInterface({ input: process.stdin });
lines.once('line', () => {
  lines.close();
  openSqliteReportStore({ path: file })
    .then(async (store) => {
      await store.close();
      process.stdout.write('opened\n');
    })
    .catch((error: unknown) => {
      process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
      process.exitCode = 1;
    });
});
process.stdout.write('ready\n');
