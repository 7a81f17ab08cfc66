// Part of `npm run bench` (run by run.mjs through tsx; also runs alone): how much memory the server takes on while it
// imports the largest export it accepts.
//
//   report-import.ts [records, default 100000]
//
// The export: a run of as many requests as a run may make (PROBE_LIMITS.maxRequests), made of real engine records
// (real-records.ts) against a cookie-sticky balancer whose app renews its session cookie on every response, so every
// record carries a Set-Cookie event and the two cookies sent; its outcome is what the engine diagnoses from them. It is
// written to a file first and must fit the import limit (REPORT_LIMITS.importBytes).
//
// The server: the built app as `npm start` serves it (scripts/server.mjs, built first when stale), on a free loopback
// port, with a fresh SQLite file and no cluster or lab. One small import goes first, so the route's code is loaded;
// then the idle RSS is read from /proc/<pid>/status (VmRSS), the kernel's peak is reset (`5` into clear_refs), the
// file is streamed as the body of POST /api/reports, and the peak (VmHWM) is read when the answer has arrived. The
// goal: peak RSS at most 512 MB above idle. The import is then checked by listing the stored report's record count.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createReadStream, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { PROBE_LIMITS, type ProbeSpec } from '@/lib/probe/spec';
import type { ProbeRecord } from '@/lib/probe/types';
import { REPORT_LIMITS } from '@/lib/reports/limits';
import { replayRecords, toReportOutcome } from '@/lib/reports/outcome';
import { REPORT_SCHEMA_VERSION, toReportJson, type Report } from '@/lib/reports/schema';
import { realRecords, replay } from './real-records';

const GOAL_MB = 512;
const MB = 1024 * 1024;
const RECORDS = Number(process.argv[2] ?? PROBE_LIMITS.maxRequests);
if (!Number.isInteger(RECORDS) || RECORDS < 1000 || RECORDS > PROBE_LIMITS.maxRequests) {
  console.error(`usage: report-import.ts [records 1000..${PROBE_LIMITS.maxRequests}]`);
  process.exit(2);
}
const root = fileURLToPath(new URL('../../', import.meta.url));

/** Writes an export of these records, with the outcome the engine diagnoses from them; returns its size in bytes. */
function writeExport(file: string, spec: ProbeSpec, records: ProbeRecord[]): number {
  const report: Report = {
    schemaVersion: REPORT_SCHEMA_VERSION,
    id: 'bench',
    status: 'complete',
    startedAt: Date.now(),
    endedAt: Date.now() + 60_000,
    dashboardVersion: 'bench',
    spec,
    records,
    outcome: toReportOutcome('completed', replayRecords(spec, records), spec),
    topology: null,
    experiments: [],
    redaction: { onShare: true, stripQuery: false, applied: null },
  };
  writeFileSync(file, toReportJson(report));
  return statSync(file).size;
}

function freePort(): Promise<number> {
  const s = net.createServer();
  return new Promise((resolve) =>
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    }),
  );
}

/** Kilobytes of a `/proc/<pid>/status` field, as megabytes. */
function procMb(pid: number, field: 'VmRSS' | 'VmHWM'): number {
  const match = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  if (!match) throw new Error(`no ${field} in /proc/${pid}/status`);
  return Number(match[1]) / 1024;
}

async function waitUntilHealthy(child: ChildProcess, base: string): Promise<void> {
  const deadline = Date.now() + 120_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the server exited with ${child.exitCode}`);
    if (await fetch(`${base}/api/health`).then((r) => r.ok, () => false)) return;
    if (Date.now() > deadline) throw new Error(`${base} did not answer /api/health within 120 s`);
    // Poll spacing, not synchronisation: the loop ends on the first healthy answer.
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** POSTs the file as a stream; resolves with the answer's status and body. */
function postFile(base: string, file: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      `${base}/api/reports`,
      { method: 'POST', headers: { 'content-type': 'application/json', 'content-length': statSync(file).size } },
      (res) => {
        let body = '';
        res.setEncoding('utf8').on('data', (d: string) => (body += d));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      },
    );
    req.on('error', reject);
    createReadStream(file).pipe(req);
  });
}

async function main(): Promise<void> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'stickyscope-bench-import-'));
  let server: ChildProcess | null = null;
  try {
    const { spec, templates } = await realRecords({ rollingSession: true });
    const file = path.join(dir, 'export.json');
    const bytes = writeExport(file, { ...spec, requests: RECORDS }, replay(templates, RECORDS));
    const warmUp = path.join(dir, 'warm-up.json');
    writeExport(warmUp, spec, templates);
    console.error(`report import bench: ${RECORDS} records, ${(bytes / MB).toFixed(1)} MB of JSON (limit ${REPORT_LIMITS.importBytes / MB} MB)`);

    const build = spawnSync(process.execPath, [path.join(root, 'scripts', 'build.mjs')], { cwd: root, stdio: 'inherit' });
    if (build.status !== 0) throw new Error('the app did not build');
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    server = spawn(process.execPath, [path.join(root, 'scripts', 'server.mjs')], {
      cwd: root,
      stdio: ['ignore', 'ignore', 'inherit'],
      env: { ...process.env, PORT: String(port), STICKYSCOPE_DOCKER: 'off', STICKYSCOPE_LAB: '0', STICKYSCOPE_DB_PATH: path.join(dir, 'reports.db') },
    });
    await waitUntilHealthy(server, base);
    const pid = server.pid!;

    // A first import of 1,000 of the same records loads the route's code, which is not what is measured.
    const warm = await postFile(base, warmUp);
    if (warm.status !== 201) throw new Error(`the warm-up import answered ${warm.status}: ${warm.body.slice(0, 300)}`);
    const idle = procMb(pid, 'VmRSS');
    writeFileSync(`/proc/${pid}/clear_refs`, '5');
    const started = performance.now();
    const answer = await postFile(base, file);
    const seconds = (performance.now() - started) / 1000;
    const peak = procMb(pid, 'VmHWM');
    if (answer.status !== 201) throw new Error(`the import answered ${answer.status}: ${answer.body.slice(0, 300)}`);
    const { id } = JSON.parse(answer.body) as { id: string };
    const listed = ((await (await fetch(`${base}/api/reports?limit=10`)).json()) as { reports: { id: string; records: number }[] }).reports;
    const stored = listed.find((r) => r.id === id)?.records;
    if (stored !== RECORDS) throw new Error(`the imported report holds ${stored} records, not ${RECORDS}`);

    const over = peak - idle;
    console.log(`\nReport import into the built server (SQLite), ${RECORDS} records, ${(bytes / MB).toFixed(1)} MB of JSON streamed as one POST:\n`);
    console.log('| idle RSS | peak RSS during import | peak over idle | import time | records/s |');
    console.log('| ---: | ---: | ---: | ---: | ---: |');
    console.log(`| ${idle.toFixed(0)} MB | ${peak.toFixed(0)} MB | ${over.toFixed(0)} MB | ${seconds.toFixed(1)} s | ${Math.round(RECORDS / seconds)} |`);
    console.log(`\nGoal: peak RSS ≤ ${GOAL_MB} MB over idle: ${over <= GOAL_MB ? 'met' : 'NOT met'}`);
  } finally {
    if (server && server.exitCode === null) {
      const gone = new Promise((resolve) => server!.once('exit', resolve));
      server.kill('SIGTERM');
      await gone;
    }
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(`report import bench: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
