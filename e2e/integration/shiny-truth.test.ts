// What Shiny users report, reproduced in real Chromium against a real R Shiny app (scripts/lab/shiny/app.R: a DT
// server-side table, a download, an upload) with three R processes behind real HAProxy (scripts/lab/shiny.mjs).
// These are facts about Shiny, Chromium and the balancer alone, no stickyscope code involved: a stickyscope verdict on
// the same frontend must agree with them (FAIL where a context broke, PASS where every context worked).
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SECURE_HOST, startShinyLab, type ShinyLab } from '../../scripts/lab/shiny.mjs';
import { browserVerdict, describeTruth, launchChromium, observeShinyApp, summarizeTruth, type ShinyContextTruth } from '../shiny-truth';

/**
 * Fresh contexts per frontend. A context works only when DT's two dataobj POSTs, the download GET and the upload POST
 * all reach the R process holding its WebSocket. A balancer that spreads requests evenly over three processes sends
 * each there with chance 1/3, so one context works by luck with chance at most 1/3 (page 1 alone) and eight in a row
 * with at most (1/3)^8 ≈ 1.5e-4 (counting all four requests, (1/81)^8 ≈ 5e-16). In a quiet lab HAProxy's round robin
 * is no draw at all: one browser's requests come in the same order every time, and page 1's POST lands on another
 * process in every context; the bound covers runs where other traffic shifts the order. Eight contexts take ~25 s.
 */
const CONTEXTS = 8;
/** Where every context must work, more contexts only add time: four still reach more than one process. */
const CONTROL_CONTEXTS = 4;
const REPLICAS = 3;
const TEST_TIMEOUT_MS = 120_000;

let lab: ShinyLab;
let dir: string;
let browser: Browser;

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'stickyscope-shiny-truth-'));
  const started = Date.now();
  lab = await startShinyLab({ dir, replicas: REPLICAS });
  process.stderr.write(`[integration] shiny lab (${REPLICAS} R processes) up in ${Date.now() - started} ms\n`);
  browser = await launchChromium({ hostResolverRules: lab.hostResolverRules });
}, 60_000);

/** Opens the app in `contexts` fresh contexts and logs the outcome, so a run's log shows the ground truth. */
async function observe(frontend: string, url: string, contexts = CONTEXTS): Promise<ShinyContextTruth[]> {
  const truths = await observeShinyApp(browser, url, { contexts });
  process.stderr.write(`[shiny-truth] ${frontend}: ${summarizeTruth(truths)}\n`);
  return truths;
}

afterAll(async () => {
  await browser?.close();
  await lab?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** Every context worked, without an alert or a console error, and sessions landed on more than one process. */
function expectAllWork(truths: ShinyContextTruth[]): void {
  const report = describeTruth(truths);
  expect(truths.filter((t) => !t.works).map((t) => t.context), report).toEqual([]);
  expect(browserVerdict(truths)).toBe('PASS');
  for (const t of truths) {
    expect(t.dataTablesWarnings, report).toEqual([]);
    expect(t.consoleErrors, report).toEqual([]);
    expect(t.sessionRoutes.map((r) => r.status), report).toEqual([200, 200, 200]);
    // The page came from the process that then held the session: the cookie pinned the whole visit.
    expect(t.sessionProcess, report).toBe(t.pageProcess);
  }
  // The balancer really balances: a pass is not one process serving everybody.
  expect(new Set(truths.map((t) => t.sessionProcess)).size, report).toBeGreaterThan(1);
}

/** At least one context broke, and each broken table shows what users report: DT's Ajax error after a 404. */
function expectSomeBreak(truths: ShinyContextTruth[]): void {
  const report = describeTruth(truths);
  expect(truths.some((t) => !t.works), report).toBe(true);
  expect(browserVerdict(truths)).toBe('FAIL');
  for (const t of truths.filter((c) => c.steps.tablePage1 === 'broken')) {
    expect(t.dataTablesWarnings.join('\n'), report).toMatch(/^DataTables warning: table id=\S+ - Ajax error/);
    expect(t.sessionRoutes.find((r) => r.route === 'dataobj')?.status, report).toBe(404);
  }
  for (const t of truths.filter((c) => c.steps.upload === 'broken')) {
    expect(t.sessionRoutes.filter((r) => r.route === 'upload').map((r) => r.status), report).toContain(404);
  }
}

describe(`Chromium on a real Shiny app, ${REPLICAS} R processes behind HAProxy, ${CONTEXTS} fresh contexts each`, () => {
  it('cookie insert: the table pages, the download and the upload work in every context', { timeout: TEST_TIMEOUT_MS }, async () => {
    const truths = await observe('cookie insert', lab.urls.sticky);
    expectAllWork(truths);
    for (const t of truths) expect(t.cookies).toContainEqual({ name: lab.cookieName, secure: false });
  });

  it('round robin: contexts break with "DataTables warning: … Ajax error", as users report', { timeout: TEST_TIMEOUT_MS }, async () => {
    const truths = await observe('round robin', lab.urls.roundRobin);
    expectSomeBreak(truths);
    for (const t of truths) expect(t.cookies).toEqual([]);
  });

  it(`Secure cookie over http by a non-loopback name (${SECURE_HOST}): Chromium drops the cookie and contexts break`, { timeout: TEST_TIMEOUT_MS }, async () => {
    expect(new URL(lab.urls.secure).hostname).toBe(SECURE_HOST);
    const truths = await observe('Secure cookie by name', lab.urls.secure);
    expectSomeBreak(truths);
    // HAProxy set the cookie on every answer; Chromium kept none of them.
    for (const t of truths) expect(t.cookies.map((c) => c.name)).not.toContain(lab.cookieName);
  });

  it('the same Secure cookie by 127.0.0.1 works in every context: Chromium counts loopback as secure', { timeout: TEST_TIMEOUT_MS }, async () => {
    const truths = await observe('Secure cookie by 127.0.0.1', `http://127.0.0.1:${lab.frontends.secure}/`, CONTROL_CONTEXTS);
    expectAllWork(truths);
    for (const t of truths) expect(t.cookies).toContainEqual({ name: lab.cookieName, secure: true });
  });
});
