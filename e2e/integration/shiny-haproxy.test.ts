// The Shiny protocol against the real thing: three R Shiny processes (scripts/lab/shiny.mjs: a DT table in server-side
// mode, a download and a file upload) behind Debian's HAProxy with round robin, cookie insert, and the same cookie
// marked Secure over plain http reached by a name that is not loopback. The app does not name its processes to the
// probe: the verdict rests on Shiny's own answers (200 from the process holding the session, 404 from any other).
// And the contract: on each frontend the probe's verdict agrees with what real Chromium users get (e2e/shiny-truth.ts).
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseProbeSpec, runProbe, type ProbeResult, type ProbeSpecInput } from '@/lib/probe';
import { nodeTransportFor } from '@/lib/probe/protocols/upgrade-node';
import { SECURE_HOST, startShinyLab, type ShinyLab } from '../../scripts/lab/shiny.mjs';
import { browserVerdict, describeTruth, launchChromium, observeShinyApp } from '../shiny-truth';
import { runStickyscope } from './lab-cli';

const CLI_TIMEOUT_MS = 30_000;
/** Fresh Chromium contexts per frontend for the parity check (the lab's own truth test argues how many suffice). */
const CONTEXTS = 4;

let lab: ShinyLab;
let dir: string;

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'stickyscope-shiny-'));
  const started = Date.now();
  lab = await startShinyLab({ dir });
  process.stderr.write(`[integration] R Shiny lab up in ${Date.now() - started} ms\n`);
}, 90_000);

afterAll(async () => {
  await lab?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

async function probe(input: ProbeSpecInput): Promise<ProbeResult> {
  const spec = parseProbeSpec({ requests: 20, ...input });
  const transport = nodeTransportFor(spec);
  try {
    return await runProbe(spec, transport);
  } finally {
    await transport.close();
  }
}

const codes = (r: { diagnosis: { code: string }[] }) => r.diagnosis.map((d) => d.code);
const phases = (r: ProbeResult) => r.records.map((x) => x.protocol?.phase);

describe('Shiny probe: three real R Shiny processes behind HAProxy', () => {
  it('auto detects Shiny on every frontend, from the page', async () => {
    for (const url of [lab.urls.roundRobin, lab.urls.sticky, lab.urls.secure]) {
      const r = await probe({ target: url, requests: 3, resolve: url === lab.urls.secure ? lab.resolve : [] });
      expect(r.protocol.detection).toEqual({ requested: 'auto', protocol: 'shiny', reason: expect.stringMatching(/^the page lists shiny-javascript 1\.7\.\d+ in its html-dependencies$/), atIndex: 1 });
      expect(r.protocol.shiny?.page).toMatchObject({ datatables: ['table'], downloads: ['report'], fileInputs: ['upload'] });
      expect(phases(r)).toEqual(['page', 'connect', 'route']);
    }
  });

  it('round robin: FAIL, the DT route answers 404 from the other processes, said in Shiny words', async () => {
    const r = await probe({ target: lab.urls.roundRobin });
    const connect = r.records[1]!;
    expect(connect).toMatchObject({ status: 101, protocol: { phase: 'connect', outcome: 'ok', session: expect.stringMatching(/^[0-9a-f]{32}$/) } });
    const sessionId = connect.protocol!.session!;
    expect(r.protocol.shiny?.routes.map((x) => x.kind).sort()).toEqual(['dataobj', 'download']);
    expect(r.protocol.shiny?.probed).toEqual({ kind: 'dataobj', output: 'table' });
    const routes = r.records.filter((x) => x.protocol?.phase === 'route');
    expect(routes).toHaveLength(18);
    // Round robin over three processes: the session's own process answers 200, the two others 404.
    expect(new Set(routes.map((x) => x.status))).toEqual(new Set([200, 404]));
    for (const x of routes) expect(x.protocol).toMatchObject({ session: sessionId, outcome: x.status === 200 ? 'ok' : 'break' });
    const firstLost = routes.find((x) => x.status === 404)!;
    expect(r.verdict).toMatchObject({ status: 'fail', firstBreakAt: firstLost.index });
    expect(r.diagnosis[0]).toMatchObject({ code: 'shiny-route-lost', atIndex: firstLost.index });
    expect(r.diagnosis[0]!.message).toContain("DT server-side tables and downloads will fail at random ('DataTables warning: Ajax error'");
    expect(r.diagnosis[0]!.message).toContain(`request ${firstLost.index} for the DT table route of \`table\` answered 404 from a process that does not hold the session (session ${sessionId} was opened at request 2)`);
    expect(r.diagnosis[0]!.message).toContain('Why: the balancer set no sticky cookie');
    expect(r.protocol.shiny?.proved.join('\n')).toMatch(/reached a process that did not hold the session \(HTTP 404\)/);
  });

  it('cookie insert: PASS, every DT request reached the session, for one user or three at once', async () => {
    for (const concurrency of [1, 3]) {
      const r = await probe({ target: lab.urls.sticky, requests: 30, concurrency });
      expect(r.records.filter((x) => x.protocol?.outcome !== 'ok')).toEqual([]);
      expect(r.protocol.shiny?.sessions).toEqual({ opened: concurrency, configured: concurrency });
      expect(r.verdict).toMatchObject({ status: 'pass', firstBreakAt: null });
      expect(codes(r)).toContain('shiny-route-kept');
      // Each user's page set the sticky cookie; it went along on the socket and on every route request.
      expect(r.records.filter((x) => x.protocol?.phase === 'page')).toHaveLength(concurrency);
      for (const x of r.records.filter((y) => y.protocol?.phase !== 'page')) expect(x.cookieSent).toContain('SRV');
    }
  });

  it('downloads and uploads are session routes too: PASS with the cookie, FAIL without', async () => {
    for (const route of ['download', 'upload'] as const) {
      const kept = await probe({ target: lab.urls.sticky, shiny: { route }, requests: 8 });
      expect(kept.protocol.shiny?.probed?.kind).toBe(route);
      expect(kept.verdict.status).toBe('pass');
      const lost = await probe({ target: lab.urls.roundRobin, shiny: { route }, requests: 8 });
      expect(lost.verdict.status).toBe('fail');
      expect(lost.diagnosis[0]!.message).toMatch(route === 'download' ? /^downloads will fail at random/ : /^file uploads will fail at random/);
    }
  });

  it('Secure cookie over http, reached by a name that is not localhost: FAIL, naming the Secure attribute', async () => {
    expect(new URL(lab.urls.secure).hostname).toBe(SECURE_HOST);
    const r = await probe({ target: lab.urls.secure, resolve: lab.resolve });
    expect(r.protocol.detection.protocol).toBe('shiny');
    expect(r.verdict.status).toBe('fail');
    const lost = r.diagnosis.find((d) => d.code === 'shiny-route-lost');
    expect(lost?.message).toContain("Why: the balancer's cookie `SRV` carries `Secure` but the page is plain http, so browsers never send it back");
    expect(codes(r)).toContain('secure-cookie-over-http');
    expect(r.records.some((x) => x.cookieSent.includes('SRV'))).toBe(false);
  });
});

describe('stickyscope probe on a Shiny app', () => {
  const cli = (args: string[]) => runStickyscope(['probe', ...args], null, CLI_TIMEOUT_MS);

  it('exits 1 on round robin and 0 on cookie insert, with the detected protocol and the Shiny facts in the JSON', async () => {
    const rr = await cli([lab.urls.roundRobin, '--requests', '12', '--json']);
    expect(rr.code, rr.stderr).toBe(1);
    const failed = JSON.parse(rr.stdout) as { diagnosis: { code: string }[]; protocol: ProbeResult['protocol'] };
    expect(failed.diagnosis[0]!.code).toBe('shiny-route-lost');
    expect(failed.protocol.detection.protocol).toBe('shiny');
    expect(failed.protocol.shiny?.probed).toEqual({ kind: 'dataobj', output: 'table' });
    const sticky = await cli([lab.urls.sticky, '--requests', '12', '--json']);
    expect(sticky.code, sticky.stderr).toBe(0);
  });

  it('human output says what was detected and why, the session, its routes and what was proved', async () => {
    const run = await cli([lab.urls.roundRobin, '--requests', '8']);
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/^FAIL /);
    expect(run.stdout).toMatch(/Protocol shiny \(detected at request 1: the page lists shiny-javascript [\d.]+ in its html-dependencies\)/);
    expect(run.stdout).toMatch(/ {2}route {5}DT table +session\/[0-9a-f]{32}\/dataobj\/table\?w=&nonce=[0-9a-f]+ {2}\(requested\)/);
    expect(run.stdout).toMatch(/ {2}proved {4}\d+ of \d+ requests for the DT table route of `table` reached the process holding their session/);
    expect(run.stdout).toContain("shiny-route-lost: DT server-side tables and downloads will fail at random ('DataTables warning: Ajax error'");
  });
});

describe('the probe agrees with Chromium, the ground truth', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchChromium({ hostResolverRules: lab.hostResolverRules });
  }, 30_000);
  afterAll(async () => {
    await browser?.close();
  });

  const expected = { sticky: 'PASS', roundRobin: 'FAIL', secure: 'FAIL' } as const;
  for (const frontend of ['sticky', 'roundRobin', 'secure'] as const) {
    it(`${frontend}: ${expected[frontend]} in Chromium and in the probe`, { timeout: 120_000 }, async () => {
      const url = lab.urls[frontend];
      const truths = await observeShinyApp(browser, url, { contexts: CONTEXTS });
      const r = await probe({ target: url, resolve: frontend === 'secure' ? lab.resolve : [] });
      const verdict = r.verdict.status === 'pass' ? 'PASS' : r.verdict.status === 'fail' ? 'FAIL' : 'INCONCLUSIVE';
      const report = `${describeTruth(truths)}\nprobe: ${r.diagnosis[0]?.message ?? ''}`;
      expect(browserVerdict(truths), report).toBe(expected[frontend]);
      expect(verdict, report).toBe(browserVerdict(truths));
    });
  }
});
