#!/usr/bin/env node
// `npm run bench`: the probe CLI's sustained rate against autocannon on the same URL, in the same run.
//
//   node scripts/bench/run.mjs [--requests 20000] [--rounds 5] [--only lab|static|store|import|shiny] [--relay-requests 2000] [--no-relay]
//                              [--browser-requests 10000] [--browser-rounds 2] [--no-browser]
//
// Targets: (a) the real HAProxy lab's cookie-insert backend with three replicas (scripts/lab/haproxy.mjs), where the
// replicas are the bottleneck, and (b) Debian's nginx answering `return 200` with a Set-Cookie header and a
// `Hostname: x` body, where the client is. The probe runs as the real CLI (`bin/stickyscope.mjs probe --json`) with
// cookies (browser rules) and identity (auto) on and no pacing; its rate is requests over the engine's own run time
// (process start-up excluded). autocannon also runs in a fresh process, with the same request count and connections,
// timed from its start to its last response. Rounds alternate the two tools and the best of each is kept, which damps
// noise from other work on the machine. At concurrency 8 the first eight requests leave before any cookie is stored,
// so the lab run there may spread over replicas at the start; only the concurrency-1 run is checked for stickiness.
//
// Relay latency: the built app (`node scripts/start.mjs`, which builds when needed) serves POST /api/relay on a free
// port with STICKYSCOPE_ALLOWED_TARGETS=127.0.0.1; relay-latency.ts then runs the engine loop on each target, once
// through the CLI's Node transport and once through the browser's relay transport, and reports the difference of
// the medians (goal ≤ 2 ms).
//
// Report store: report-store.ts measures records written per second into SQLite (and PostgreSQL when installed) and
// prints its own table (goal ≥ 20,000 records/s into SQLite).
// Report import: report-import.ts streams the largest export the import accepts (100,000 records with cookies) into
// the built server and reports its peak RSS over idle (goal ≤ 512 MB).
// Shiny run: three real R Shiny processes (scripts/lab/shiny.mjs, a DT table in server-side mode) behind the
// HAProxy lab's cookie-insert frontend; shiny-run.ts makes a Shiny run of 100 session-route requests at 10 ms and
// compares its duration with the time those requests take at that pace (goal < 2×). Skipped, saying so, without R.
// Browser run: the Probe page in Chromium runs a long sequential relay run against the embedded demo lab's sticky-ok
// service, next to the same engine loop driven from Node and a bare fetch loop in the page (browser-rate.mjs); the
// goal is the page at ≥ 0.8× the Node rate.
import { execFile, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { startHaproxyLab } from '../lab/haproxy.mjs';
import { RSCRIPT_BIN, startShinyLab } from '../lab/shiny.mjs';
import { measureBrowserRate } from './browser-rate.mjs';
import { runJsonChild, runTsBench } from './json-child.mjs';

const root = fileURLToPath(new URL('../../', import.meta.url));
const bin = path.join(root, 'bin', 'stickyscope.mjs');
const NGINX = process.env.NGINX_BIN || '/usr/sbin/nginx';
const CONCURRENCIES = [1, 8];
const GOAL_STATIC = 0.8;

const { values } = parseArgs({
  options: {
    requests: { type: 'string', default: '20000' },
    rounds: { type: 'string', default: '5' },
    only: { type: 'string' },
    'relay-requests': { type: 'string', default: '2000' },
    'no-relay': { type: 'boolean', default: false },
    'browser-requests': { type: 'string', default: '10000' },
    'browser-rounds': { type: 'string', default: '2' },
    'no-browser': { type: 'boolean', default: false },
  },
  strict: true,
});
const REQUESTS = Number(values.requests);
const ROUNDS = Number(values.rounds);
const RELAY_REQUESTS = Number(values['relay-requests']);
const GOAL_RELAY_MS = 2;
const GOAL_START_MS = 30_000;
const BROWSER_REQUESTS = Number(values['browser-requests']);
const BROWSER_ROUNDS = Number(values['browser-rounds']);
const GOAL_BROWSER = 0.8;
const SHINY_REQUESTS = 100;
const SHINY_INTERVAL_MS = 10;
const GOAL_SHINY = 2;
if (!Number.isInteger(BROWSER_REQUESTS) || BROWSER_REQUESTS < 100 || BROWSER_REQUESTS > 100_000 || !Number.isInteger(BROWSER_ROUNDS) || BROWSER_ROUNDS < 1 || BROWSER_ROUNDS > 10) {
  console.error('--browser-requests must be 100..100000 and --browser-rounds 1..10');
  process.exit(2);
}
if (!Number.isInteger(RELAY_REQUESTS) || RELAY_REQUESTS < 100 || RELAY_REQUESTS > 100_000) {
  console.error('--relay-requests must be 100..100000');
  process.exit(2);
}
if (!Number.isInteger(REQUESTS) || REQUESTS < 100 || REQUESTS > 1_000_000 || !Number.isInteger(ROUNDS) || ROUNDS < 1 || ROUNDS > 10) {
  console.error('usage: run.mjs [--requests 100..1000000] [--rounds 1..10] [--only lab|static|store|import|shiny]');
  process.exit(2);
}
if (values.only && !['lab', 'static', 'store', 'import', 'shiny'].includes(values.only)) {
  console.error('--only must be lab, static, store, import or shiny');
  process.exit(2);
}

async function freePort() {
  const s = net.createServer();
  await new Promise((resolve) => s.listen(0, '127.0.0.1', resolve));
  const { port } = s.address();
  await new Promise((resolve) => s.close(resolve));
  return port;
}

function getOnce(url) {
  return new Promise((resolve, reject) => {
    const req = http.get(url, { agent: false, timeout: 1000 }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode));
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', reject);
  });
}

/** Polls the topology until the demo lab source reports `ok`. */
async function waitForLab(url, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const res = await fetch(url, { cache: 'no-store' });
      if (res.ok && (await res.json()).sources?.lab?.status === 'ok') return;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`${url} showed no running demo lab within ${timeoutMs} ms`);
    // Poll spacing, not synchronisation: the loop ends on the first answer that shows the lab.
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

async function waitForHttp(url, timeoutMs = 10_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      if ((await getOnce(url)) === 200) return;
    } catch (error) {
      if (Date.now() > deadline) throw new Error(`${url} not ready after ${timeoutMs} ms: ${error.message}`);
    }
    // Poll spacing; the loop ends on the first answer.
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** nginx with its own prefix and config under a temp dir: `return 200` with a Set-Cookie and a whoami-style body. */
async function startNginx() {
  if (!existsSync(NGINX)) throw new Error(`${NGINX} not found: apt-get install -y nginx-light`);
  const dir = mkdtempSync(path.join(os.tmpdir(), 'stickyscope-bench-nginx-'));
  mkdirSync(path.join(dir, 'tmp'));
  const port = await freePort();
  const conf = path.join(dir, 'nginx.conf');
  writeFileSync(
    conf,
    `worker_processes 1;
daemon off;
pid ${dir}/nginx.pid;
error_log ${dir}/error.log warn;
events { worker_connections 1024; }
http {
  access_log off;
  keepalive_requests 1000000;
  keepalive_timeout 60s;
  client_body_temp_path ${dir}/tmp/body;
  proxy_temp_path ${dir}/tmp/proxy;
  fastcgi_temp_path ${dir}/tmp/fastcgi;
  uwsgi_temp_path ${dir}/tmp/uwsgi;
  scgi_temp_path ${dir}/tmp/scgi;
  server {
    listen 127.0.0.1:${port};
    location / {
      default_type text/plain;
      add_header Set-Cookie "session=bench123; Path=/; HttpOnly" always;
      return 200 "Hostname: x\\n";
    }
  }
}
`,
  );
  await new Promise((resolve, reject) =>
    execFile(NGINX, ['-t', '-q', '-p', dir, '-c', conf, '-e', `${dir}/error.log`], (error, _o, stderr) => (error ? reject(new Error(`nginx -t: ${stderr}`)) : resolve())),
  );
  const child = spawn(NGINX, ['-p', dir, '-c', conf, '-e', `${dir}/error.log`], { stdio: 'ignore' });
  let exited = false;
  child.on('exit', () => (exited = true));
  const url = `http://127.0.0.1:${port}/`;
  try {
    await waitForHttp(url);
  } catch (error) {
    child.kill('SIGKILL');
    throw error;
  }
  return {
    url,
    async stop() {
      if (!exited) {
        // SIGTERM is nginx's fast shutdown.
        child.kill('SIGTERM');
        await new Promise((resolve) => (exited ? resolve() : child.once('exit', resolve)));
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** The probe CLI, as a user runs it; the rate is taken from the engine's own duration, not process start-up. */
function runProbeCli(url, concurrency) {
  const args = [bin, 'probe', url, '--requests', String(REQUESTS), '--concurrency', String(concurrency), '--interval', '0', '--cookies', 'browser', '--identity', 'auto', '--json'];
  return runJsonChild('probe', args, (r) => {
    if (r.requests !== REQUESTS || r.verdict.errors.total > 0) throw new Error(`${r.requests} requests, ${r.verdict.errors.total} errors`);
    return { rate: (r.requests * 1000) / r.durationMs, sticky: r.verdict.sticky, replicas: Object.keys(r.verdict.replicas).length };
  });
}

/**
 * autocannon in a fresh Node process of its own, as `npx autocannon` runs, so both tools start cold and neither gets
 * a JIT-warm process the other lacks. Timed inside that process from the call to the last response: autocannon's own
 * duration is no use here, since with `amount` it only notices it is done on its next one-second sampling tick (20,000
 * requests that take 1.2 s are reported as 2 s).
 */
const AUTOCANNON_CHILD = `
import autocannon from 'autocannon';
const [url, connections, amount] = [process.argv[1], Number(process.argv[2]), Number(process.argv[3])];
const started = performance.now();
let last = started;
let responses = 0;
const instance = autocannon({ url, connections, pipelining: 1, amount, timeout: 10 });
instance.on('response', () => { responses++; last = performance.now(); });
const result = await instance;
process.stdout.write(JSON.stringify({ responses, errors: result.errors, non2xx: result.non2xx, ms: last - started }));
`;

function measureAutocannon(url, connections) {
  const args = ['--input-type=module', '-e', AUTOCANNON_CHILD, url, String(connections), String(REQUESTS)];
  return runJsonChild('autocannon', args, (r) => {
    if (r.responses !== REQUESTS || r.errors > 0 || r.non2xx > 0) throw new Error(`${r.responses} responses, ${r.errors} errors, ${r.non2xx} non-2xx`);
    return { rate: (r.responses * 1000) / r.ms };
  });
}

/**
 * The built app, as `npm start` serves it, on a free port, with the demo lab (no cluster configured). The build, when
 * missing or stale, happens first (as `npm ci` does it), so `startMs` is the time from `npm start` to a dashboard
 * whose topology shows the running lab: what someone trying it for the first time waits.
 */
async function startApp() {
  const build = spawnSync(process.execPath, [path.join(root, 'scripts', 'build.mjs')], { cwd: root, stdio: 'inherit' });
  if (build.status !== 0) throw new Error('the app did not build');
  const port = await freePort();
  const startedAt = performance.now();
  const child = spawn(process.execPath, [path.join(root, 'scripts', 'start.mjs')], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, PORT: String(port), STICKYSCOPE_ALLOWED_TARGETS: '127.0.0.1', STICKYSCOPE_DOCKER: 'off', STICKYSCOPE_LAB: '1', NODE_ENV: 'production' },
    detached: true,
  });
  let log = '';
  const keep = (d) => (log = (log + d).slice(-4000));
  child.stdout.setEncoding('utf8').on('data', keep);
  child.stderr.setEncoding('utf8').on('data', keep);
  let exited = false;
  child.on('exit', () => (exited = true));
  const stop = async () => {
    if (exited) return;
    // The whole group: start.mjs and the `next start` it spawned.
    process.kill(-child.pid, 'SIGTERM');
    await new Promise((resolve) => (exited ? resolve() : child.once('exit', resolve)));
  };
  try {
    const exitedEarly = new Promise((_, reject) => child.once('exit', (code) => reject(new Error(`the app exited (${code}) before it was ready:\n${log}`))));
    await Promise.race([waitForLab(`http://127.0.0.1:${port}/api/topology`, 120_000), exitedEarly]);
  } catch (error) {
    await stop();
    throw error;
  }
  return { base: `http://127.0.0.1:${port}`, relay: `http://127.0.0.1:${port}/api/relay`, startMs: performance.now() - startedAt, stop };
}

/** The engine loop through the Node transport and through the relay, in one tsx process (relay-latency.ts). */
function measureRelay(url, relay) {
  return runTsBench('relay-latency.ts', [url, relay, String(RELAY_REQUESTS), String(ROUNDS)], (r) => r, { timeoutMs: 600_000, echo: true });
}

/** A bench script of scripts/bench/ in a tsx process of its own that prints its own table. */
function benchScript(name) {
  return new Promise((resolve, reject) => {
    const script = path.join(root, 'scripts', 'bench', name);
    const child = spawn(process.execPath, ['--conditions=react-server', '--import', import.meta.resolve('tsx'), script], { cwd: root, stdio: 'inherit' });
    child.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`${name} exited ${code}`))));
  });
}

/** The report store's write rate (report-store.ts). */
const benchReportStore = () => benchScript('report-store.ts');
/** The server's memory while it imports the largest export it accepts (report-import.ts). */
const benchReportImport = () => benchScript('report-import.ts');

async function benchTarget(label, url) {
  const rows = [];
  // Warm the target (its connections and caches) before measuring; both tools then start cold, in processes of their own.
  await measureAutocannon(url, 8).catch(() => undefined);
  for (const concurrency of CONCURRENCIES) {
    let probe = 0;
    let cannon = 0;
    let sticky = null;
    for (let round = 0; round < ROUNDS; round++) {
      // Alternate which tool goes first, so neither always meets the machine in the same state.
      let p;
      let a;
      if (round % 2 === 0) {
        p = await runProbeCli(url, concurrency);
        a = await measureAutocannon(url, concurrency);
      } else {
        a = await measureAutocannon(url, concurrency);
        p = await runProbeCli(url, concurrency);
      }
      probe = Math.max(probe, p.rate);
      if (concurrency === 1) sticky = p.sticky;
      cannon = Math.max(cannon, a.rate);
      process.stderr.write(`  ${label} c=${concurrency} round ${round + 1}: probe ${Math.round(p.rate)}/s, autocannon ${Math.round(a.rate)}/s\n`);
    }
    rows.push({ target: label, concurrency, probe, autocannon: cannon, ratio: probe / cannon, sticky });
  }
  return rows;
}

function relayTable(rows) {
  const head = ['target', 'engine median ms', 'relay median ms', 'added ms', 'empty route ms'];
  const body = rows.map((r) => [r.target, r.engineMs.toFixed(3), r.relayMs.toFixed(3), r.addedMs.toFixed(3), r.floorMs.toFixed(3)]);
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i].length)));
  const line = (cells) => `| ${cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join(' | ')} |`;
  return [line(head), `|${widths.map((w, i) => (i === 0 ? `${'-'.repeat(w + 2)}` : `${'-'.repeat(w + 1)}:`)).join('|')}|`, ...body.map(line)].join('\n');
}

function table(rows) {
  const head = ['target', 'conc.', 'probe req/s', 'autocannon req/s', 'ratio'];
  const body = rows.map((r) => [r.target, String(r.concurrency), String(Math.round(r.probe)), String(Math.round(r.autocannon)), `${r.ratio.toFixed(2)}×`]);
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i].length)));
  const line = (cells) => `| ${cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join(' | ')} |`;
  return [line(head), `|${widths.map((w, i) => (i === 0 ? `${'-'.repeat(w + 2)}` : `${'-'.repeat(w + 1)}:`)).join('|')}|`, ...body.map(line)].join('\n');
}

/** The Probe page against the demo lab's sticky-ok service, through the app's relay. */
async function browserRun(base) {
  const topology = await (await fetch(new URL('/api/topology', base))).json();
  const balancer = topology.sources?.lab?.balancer;
  if (!balancer) throw new Error('the app shows no demo lab (sources.lab.balancer is missing)');
  const host = `sticky-ok.lab.test:${balancer.port}`;
  console.error(`  browser run: ${BROWSER_REQUESTS} requests to http://${host}/, ${BROWSER_ROUNDS} round(s)`);
  return measureBrowserRate({
    base,
    target: `http://${host}/`,
    resolve: [`${host}:${balancer.address}`],
    requests: BROWSER_REQUESTS,
    rounds: BROWSER_ROUNDS,
    log: (line) => console.error(line),
  });
}

function browserSummary(b) {
  const p = b.page;
  const row = (cells) => `| ${cells.join(' | ')} |`;
  return [
    `Probe page, ${b.requests} sequential requests through the relay to the demo lab's sticky-ok (best of ${BROWSER_ROUNDS}):`,
    '',
    row(['engine + relay from Node', 'fetch loop in Chromium', 'Probe page', 'page / Node', 'page / fetch loop']),
    row(['---:', '---:', '---:', '---:', '---:']),
    row([`${Math.round(b.node)} req/s`, `${Math.round(b.fetchLoop.rate)} req/s`, `${Math.round(p.rate)} req/s`, `${(p.rate / b.node).toFixed(2)}×`, `${(p.rate / b.fetchLoop.rate).toFixed(2)}×`]),
    '',
    `Main thread of the page: ${p.cpuMsPerRequest.toFixed(2)} ms CPU per request (the fetch loop alone: ${b.fetchLoop.cpuMsPerRequest.toFixed(2)} ms); longest task ${Math.round(p.worstTaskMs)} ms, ${p.longTasks} over 50 ms.`,
    `JS heap: ${p.heapBefore.toFixed(1)} MB before the run, ${p.heapAfter.toFixed(1)} MB after it, ${p.heapAfterGc.toFixed(1)} MB after a garbage collection; ${p.marks} chart marks drawn.`,
    `Goal: the page at ≥ ${GOAL_BROWSER}× the rate the relay allows from Node: ${p.rate / b.node >= GOAL_BROWSER ? 'met' : 'NOT met'}`,
  ].join('\n');
}

/** A Shiny run against real R Shiny behind HAProxy (shiny-run.ts), or why it was skipped. */
async function benchShiny() {
  if (!existsSync(RSCRIPT_BIN)) {
    console.log(`\nShiny run: skipped, ${RSCRIPT_BIN} is not installed (node scripts/system-deps.mjs installs R with Shiny and DT)`);
    return;
  }
  const dir = mkdtempSync(path.join(os.tmpdir(), 'stickyscope-bench-shiny-'));
  const lab = await startShinyLab({ dir });
  try {
    const best = await runTsBench('shiny-run.ts', [lab.urls.sticky, String(SHINY_REQUESTS), String(SHINY_INTERVAL_MS), String(ROUNDS)], (r) => r, { echo: true });
    console.log(
      [
        '',
        `Shiny run (3 R Shiny processes behind HAProxy cookie insert, ${SHINY_REQUESTS} requests at ${SHINY_INTERVAL_MS} ms, ${best.routeRequests} of them on the DT session route):`,
        `  ${Math.round(best.durationMs)} ms for requests that take ${Math.round(best.requestsMs)} ms at that pace: ${best.factor.toFixed(2)}×`,
        `Goal: under ${GOAL_SHINY}×: ${best.factor < GOAL_SHINY ? 'met' : 'NOT met'}`,
      ].join('\n'),
    );
  } finally {
    await lab.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

async function main() {
  if (values.only === 'store') return benchReportStore();
  if (values.only === 'import') return benchReportImport();
  if (values.only === 'shiny') return benchShiny();
  const rows = [];
  const relayRows = [];
  let app = null;
  let browser = null;
  const cleanups = [];
  const stopAll = async () => {
    for (const stop of cleanups.splice(0).reverse()) await stop().catch(() => undefined);
  };
  process.once('SIGINT', () => stopAll().then(() => process.exit(130)));
  try {
    console.error(`stickyscope bench: ${REQUESTS} requests per run, ${ROUNDS} round(s), ${os.cpus().length} CPUs, Node ${process.version}`);
    if (!values['no-relay']) {
      // Before any measuring, so a build does not compete with the runs.
      console.error('  starting the app for the relay measurement (builds first if needed)');
      app = await startApp();
      cleanups.push(() => app.stop());
    }
    const relay = async (label, url) => {
      if (app) relayRows.push({ target: label, ...(await measureRelay(url, app.relay)) });
    };
    if (app && !values['no-browser']) browser = await browserRun(app.base);
    if (values.only !== 'static') {
      const labDir = mkdtempSync(path.join(os.tmpdir(), 'stickyscope-bench-haproxy-'));
      const lab = await startHaproxyLab({ dir: labDir });
      cleanups.push(async () => {
        await lab.stop();
        rmSync(labDir, { recursive: true, force: true });
      });
      rows.push(...(await benchTarget('(a) HAProxy cookie backend, 3 replicas', lab.urls.sticky)));
      await relay('(a) HAProxy cookie backend, 3 replicas', lab.urls.sticky);
    }
    if (values.only !== 'lab') {
      const nginx = await startNginx();
      cleanups.push(() => nginx.stop());
      rows.push(...(await benchTarget('(b) nginx return 200 + Set-Cookie', nginx.url)));
      await relay('(b) nginx return 200 + Set-Cookie', nginx.url);
    }
  } finally {
    await stopAll();
  }
  console.log(`\n${table(rows)}\n`);
  const stat = rows.filter((r) => r.target.startsWith('(b)'));
  if (stat.length) {
    const met = stat.every((r) => r.ratio >= GOAL_STATIC);
    console.log(`Goal on (b): ≥ ${GOAL_STATIC}× autocannon at concurrency ${CONCURRENCIES.join(' and ')}: ${met ? 'met' : 'NOT met'}`);
  }
  if (app) {
    const met = app.startMs <= GOAL_START_MS;
    console.log(`\nFirst start (built app, \`npm start\` until the topology shows the demo lab): ${(app.startMs / 1000).toFixed(1)} s; goal ≤ ${GOAL_START_MS / 1000} s: ${met ? 'met' : 'NOT met'}`);
  }
  if (relayRows.length) {
    console.log(`\nBrowser relay path, ${RELAY_REQUESTS} sequential requests, median per request (engine = the CLI's transport):\n\n${relayTable(relayRows)}\n`);
    const met = relayRows.every((r) => r.addedMs <= GOAL_RELAY_MS);
    console.log(`Goal: relay adds ≤ ${GOAL_RELAY_MS} ms per request over the engine's median: ${met ? 'met' : 'NOT met'}`);
    console.log("(empty route: GET /api/health with the same client, the app's own floor per request)");
  }
  if (browser) console.log(`\n${browserSummary(browser)}`);
  const lab = rows.filter((r) => r.target.startsWith('(a)'));
  if (lab.some((r) => r.sticky === false)) console.log('Warning: at concurrency 1 the probe did not stay on one replica on the HAProxy cookie backend');
  if (!values.only) {
    await benchReportStore();
    await benchReportImport();
    await benchShiny();
  }
}

main().catch((error) => {
  console.error(`bench: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});

