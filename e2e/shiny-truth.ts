// What a Shiny user sees, measured in real Chromium: open a Shiny app (scripts/lab/shiny/app.R) in fresh browser
// contexts, one after another, and record per context whether the DT table loaded its first page and page 2, whether
// the download returned the file and whether the upload finished, with every "DataTables warning" alert and console
// error. This is the ground truth a stickyscope verdict on the same balancer must agree with.
//
// Free of vitest and @playwright/test (playwright-core only), so integration tests and Playwright specs share it.
import { readFile } from 'node:fs/promises';
import { chromium, type Browser, type Page } from 'playwright-core';

export const CHROMIUM_PATH = '/usr/bin/chromium';
export const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];

/** ok: it worked; broken: it failed as the user would see it; not-reached: an earlier step it needs failed. */
export type StepOutcome = 'ok' | 'broken' | 'not-reached';
export const SHINY_STEPS = ['tablePage1', 'tablePage2', 'download', 'upload'] as const;
export type ShinyStep = (typeof SHINY_STEPS)[number];

export type ShinyContextTruth = {
  /** 0-based, in the order the contexts were opened. */
  context: number;
  /** Shiny's session id, once the WebSocket delivered its config. */
  sessionId: string | null;
  /** The lab's own marks (app.R): the process that rendered the page, and the one holding the session. */
  pageProcess: string | null;
  sessionProcess: string | null;
  steps: Record<ShinyStep, StepOutcome>;
  /** True when every step worked: what a user means by "the app works". */
  works: boolean;
  /** Status of each session route request the page made (DT's dataobj, the upload POST), in order. */
  sessionRoutes: { route: string; method: string; status: number }[];
  /** Texts of `alert`s starting with "DataTables warning" (DT's Ajax error). */
  dataTablesWarnings: string[];
  /** Console errors and uncaught page errors, the missing favicon excepted (Shiny apps have none). */
  consoleErrors: string[];
  /** The cookies the context held at the end (a balancer's `Secure` cookie over http is missing here). */
  cookies: { name: string; secure: boolean }[];
};

export type ObserveOptions = {
  /** Fresh browser contexts to open, one after another. */
  contexts: number;
  /** Bound on each step when nothing signals its failure earlier. Default 15 s. */
  stepTimeoutMs?: number;
};

/** Chromium as the lab's tests run it; `hostResolverRules` maps lab names such as shiny.lab.test to loopback. */
export function launchChromium({ hostResolverRules }: { hostResolverRules?: string } = {}): Promise<Browser> {
  const args = hostResolverRules ? [...CHROMIUM_ARGS, `--host-resolver-rules=${hostResolverRules}`] : CHROMIUM_ARGS;
  return chromium.launch({ executablePath: CHROMIUM_PATH, args });
}

const UPLOAD = { name: 'readings.csv', mimeType: 'text/csv', buffer: Buffer.from('city,reading\nOslo,4.2\nLima,17.9\n') };
const SESSION_ROUTE = /\/session\/[0-9a-f]+\/([a-z]+)\//;

/**
 * Polls until `ok` holds (true) or `failed` does (false); false after `timeoutMs` too. Either callback may be async;
 * a step is judged by what the page shows, failed fast by the signals a user would see (an alert, a red bar).
 */
async function settle(ok: () => Promise<boolean> | boolean, failed: () => Promise<boolean> | boolean, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await ok()) return true;
    if ((await failed()) || Date.now() > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** First cell of the DT table's first body row, and how many body rows it shows. */
function firstRow(page: Page): Promise<{ first: string | null; rows: number; process: string | null }> {
  return page.evaluate(() => {
    const rows = [...document.querySelectorAll('#table tbody tr')];
    const cells = rows[0]?.querySelectorAll('td');
    return { first: cells?.[0]?.textContent ?? null, rows: rows.length, process: cells?.[cells.length - 1]?.textContent ?? null };
  });
}

async function observeContext(browser: Browser, url: string, index: number, stepTimeoutMs: number): Promise<ShinyContextTruth> {
  const context = await browser.newContext({ acceptDownloads: true });
  const truth: ShinyContextTruth = {
    context: index,
    sessionId: null,
    pageProcess: null,
    sessionProcess: null,
    steps: { tablePage1: 'not-reached', tablePage2: 'not-reached', download: 'not-reached', upload: 'not-reached' },
    works: false,
    sessionRoutes: [],
    dataTablesWarnings: [],
    consoleErrors: [],
    cookies: [],
  };
  try {
    const page = await context.newPage();
    page.on('dialog', (dialog) => {
      if (dialog.message().startsWith('DataTables warning')) truth.dataTablesWarnings.push(dialog.message());
      dialog.dismiss().catch(() => undefined);
    });
    page.on('console', (message) => {
      if (message.type() === 'error' && !message.location().url.endsWith('/favicon.ico')) truth.consoleErrors.push(message.text());
    });
    page.on('pageerror', (error) => truth.consoleErrors.push(error.message));
    page.on('response', (response) => {
      const route = SESSION_ROUTE.exec(new URL(response.url()).pathname)?.[1];
      if (route) truth.sessionRoutes.push({ route, method: response.request().method(), status: response.status() });
    });
    const routeFailed = (route: string, after: number) => () => truth.sessionRoutes.slice(after).some((r) => r.route === route && r.status >= 400);
    const warned = (after: number) => () => truth.dataTablesWarnings.length > after;

    await page.goto(url, { waitUntil: 'domcontentloaded' });
    truth.pageProcess = await page.getAttribute('meta[name="shiny-lab-process"]', 'content');

    // Page 1 arrives through the session's dataobj route once the WebSocket has delivered the table's output value.
    let routes = truth.sessionRoutes.length;
    let warnings = truth.dataTablesWarnings.length;
    const page1 = await settle(
      async () => {
        const row = await firstRow(page);
        if (row.first !== '1' || row.rows !== 10) return false;
        truth.sessionProcess = row.process;
        return true;
      },
      () => warned(warnings)() || routeFailed('dataobj', routes)(),
      stepTimeoutMs,
    );
    truth.steps.tablePage1 = page1 ? 'ok' : 'broken';
    truth.sessionId = await page.evaluate(() => {
      const app = (window as unknown as { Shiny?: { shinyapp?: { config?: { sessionId?: string } } } }).Shiny?.shinyapp;
      return app?.config?.sessionId ?? null;
    });

    if (page1) {
      routes = truth.sessionRoutes.length;
      warnings = truth.dataTablesWarnings.length;
      await page.click('#table .paginate_button.next');
      const page2 = await settle(async () => (await firstRow(page)).first === '11', () => warned(warnings)() || routeFailed('dataobj', routes)(), stepTimeoutMs);
      truth.steps.tablePage2 = page2 ? 'ok' : 'broken';
    }

    // The link's href is set when the download output's value arrives; a user can only click it after that.
    const linkReady = await settle(async () => Boolean(await page.getAttribute('#report', 'href')), () => false, stepTimeoutMs);
    if (linkReady) {
      const download = page.waitForEvent('download', { timeout: stepTimeoutMs }).catch(() => null);
      await page.click('#report');
      const file = await download;
      // Chromium saves a 404 answer as the file too: only the report's own content counts as the download working.
      const path = file && (await file.failure()) === null ? await file.path() : null;
      const text = path ? await readFile(path, 'utf8') : '';
      truth.steps.download = /^"row","city","reading"\n/.test(text) && /^# written by \S+$/m.test(text) ? 'ok' : 'broken';
    }

    routes = truth.sessionRoutes.length;
    await page.setInputFiles('#upload', UPLOAD);
    const expected = `received ${UPLOAD.name}: ${UPLOAD.buffer.length} bytes in `;
    const uploaded = await settle(
      async () => ((await page.textContent('#received')) ?? '').startsWith(expected),
      async () => routeFailed('upload', routes)() || (await page.locator('#upload_progress .progress-bar-danger').count()) > 0,
      stepTimeoutMs,
    );
    truth.steps.upload = uploaded ? 'ok' : 'broken';
    truth.cookies = (await context.cookies()).map((c) => ({ name: c.name, secure: c.secure }));
  } finally {
    await context.close();
  }
  truth.works = SHINY_STEPS.every((step) => truth.steps[step] === 'ok');
  return truth;
}

/** Opens `url` in `contexts` fresh browser contexts, one after another, and records what worked in each. */
export async function observeShinyApp(browser: Browser, url: string, { contexts, stepTimeoutMs = 15_000 }: ObserveOptions): Promise<ShinyContextTruth[]> {
  const truths: ShinyContextTruth[] = [];
  for (let i = 0; i < contexts; i++) truths.push(await observeContext(browser, url, i, stepTimeoutMs));
  return truths;
}

/** The verdict a stickyscope run on the same balancer must reach: FAIL when any context broke, PASS when all worked. */
export function browserVerdict(truths: readonly ShinyContextTruth[]): 'PASS' | 'FAIL' {
  return truths.every((t) => t.works) ? 'PASS' : 'FAIL';
}

/** One line for all contexts: how many worked, and how often each step broke. */
export function summarizeTruth(truths: readonly ShinyContextTruth[]): string {
  const broken = SHINY_STEPS.map((s) => `${s} ${truths.filter((t) => t.steps[s] === 'broken').length}`).join(', ');
  return `${truths.filter((t) => t.works).length} of ${truths.length} contexts worked; broken: ${broken}`;
}

/** One line per context, for test output and failure messages. */
export function describeTruth(truths: readonly ShinyContextTruth[]): string {
  return truths
    .map((t) => {
      const steps = SHINY_STEPS.map((s) => `${s}=${t.steps[s]}`).join(' ');
      const routes = t.sessionRoutes.map((r) => `${r.method} ${r.route} ${r.status}`).join(', ');
      return `#${t.context} ${t.works ? 'works ' : 'BROKEN'} page@${t.pageProcess ?? '?'} session@${t.sessionProcess ?? '?'} ${steps} [${routes}]${t.dataTablesWarnings.length ? ` warnings=${t.dataTablesWarnings.length}` : ''}`;
    })
    .join('\n');
}
