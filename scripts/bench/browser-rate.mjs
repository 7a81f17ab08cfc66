// Part of `npm run bench`: how fast the Probe page itself runs a long relay run, against the rate the relay allows
// without a page. Three measurements per round, on one target through one built app:
//
//   node        the page's engine loop (`runProbe` + `RelayTransport`) driven from Node (relay-rate.ts, through tsx)
//   fetch loop  a bare loop of the same POST /api/relay calls inside Chromium: what the browser's own fetch allows
//   page        the Probe page in Chromium: form filled from the URL, Start pressed, until the progress bar reads N
//
// The page's rate is timed inside the page, from the click to the progress bar reaching N. While it runs the page
// records long tasks (the Long Tasks API: main-thread work over 50 ms); JS heap figures come from Chromium (CDP
// Performance metrics) before the run, after it, and after a forced garbage collection. Rounds alternate the three,
// and the best rate of each is kept. Chromium is Debian's (/usr/bin/chromium, or CHROMIUM_BIN).
import { createRequire } from 'node:module';
import { runTsBench } from './json-child.mjs';

const require = createRequire(import.meta.url);
const CHROMIUM = process.env.CHROMIUM_BIN || '/usr/bin/chromium';
const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];

function nodeRate(target, relay, requests, resolve) {
  return runTsBench('relay-rate.ts', [target, relay, String(requests), ...resolve], (r) => r.rate, { timeoutMs: 900_000 });
}

/** `host:port:address` as the relay takes it; the address may be IPv6. */
function toOverride(entry) {
  const [host, port, ...address] = entry.split(':');
  return { host, port: Number(port), address: address.join(':') };
}

/** The relay calls alone, from a page of the app: the browser's floor, with no engine and no UI. */
async function fetchLoopRate(browser, base, target, requests, resolve) {
  const page = await browser.newPage();
  try {
    await page.goto(new URL('/api/health', base).href);
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Performance.enable');
    const cpuBefore = await threadSeconds(cdp);
    const rate = await page.evaluate(
      async ([url, n, overrides]) => {
        const send = (cookie) =>
          fetch('/api/relay', {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            cache: 'no-store',
            body: JSON.stringify({
              run: 'bench-browser-rate-run',
              url,
              method: 'GET',
              headers: ['user-agent', 'stickyscope-probe/0.1'],
              cookie,
              body: null,
              resolve: overrides,
              timeoutMs: 10000,
              insecureTls: false,
              connections: 1,
              maxBodyBytes: 65536,
              exposeHeaders: [],
            }),
          }).then(async (r) => {
            // A refused relay call answers fast: counting it would measure errors, not the relay.
            const json = await r.json();
            if (!r.ok || json.error) throw new Error(`the relay answered ${r.status}: ${JSON.stringify(json.error ?? json)}`);
            return json;
          });
        // Send back what the first answer set, as the engine would.
        const first = await send(null);
        const cookie = (first.setCookie ?? []).map((line) => line.split(';')[0]).join('; ') || null;
        const t0 = performance.now();
        for (let i = 0; i < n; i++) await send(cookie);
        return (n * 1000) / (performance.now() - t0);
      },
      [target, requests, resolve.map(toOverride)],
    );
    return { rate, cpuMsPerRequest: ((await threadSeconds(cdp)) - cpuBefore) * 1000 / requests };
  } finally {
    await page.close();
  }
}

async function metric(cdp, name) {
  const { metrics } = await cdp.send('Performance.getMetrics');
  return metrics.find((m) => m.name === name)?.value ?? 0;
}
const heapMB = async (cdp) => (await metric(cdp, 'JSHeapUsedSize')) / 1048576;
/** CPU seconds the page's main thread has used: unlike wall time, not inflated by other work on the machine. */
const threadSeconds = (cdp) => metric(cdp, 'ThreadTime');

/** The Probe page, as a person runs it; returns its rate, long tasks, heap and how many chart marks it drew. */
async function pageRun(browser, base, target, requests, resolve) {
  const page = await browser.newPage();
  try {
    await page.addInitScript(() => {
      const w = /** @type {any} */ (window);
      w.__bench = { recording: false, longTasks: 0, worstTaskMs: 0, startedAt: 0, doneAt: 0 };
      new PerformanceObserver((list) => {
        if (!w.__bench.recording) return;
        for (const e of list.getEntries()) {
          w.__bench.longTasks++;
          w.__bench.worstTaskMs = Math.max(w.__bench.worstTaskMs, e.duration);
        }
      }).observe({ type: 'longtask', buffered: false });
    });
    const q = new URLSearchParams({ target, requests: String(requests), interval: '0', concurrency: '1' });
    for (const r of resolve) q.append('resolve', r);
    await page.goto(new URL(`/probes?${q}`, base).href);
    const start = page.getByRole('button', { name: 'Start' });
    await start.waitFor();
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Performance.enable');
    await cdp.send('HeapProfiler.collectGarbage');
    const heapBefore = await heapMB(cdp);
    const cpuBefore = await threadSeconds(cdp);
    await page.evaluate((n) => {
      const w = /** @type {any} */ (window);
      new MutationObserver((_, observer) => {
        const bar = document.querySelector('[role=progressbar][aria-label="Probe progress"]');
        if (bar?.getAttribute('aria-valuenow') === String(n)) {
          w.__bench.doneAt = performance.now();
          w.__bench.recording = false;
          observer.disconnect();
        }
      }).observe(document.body, { subtree: true, childList: true, attributes: true, attributeFilter: ['aria-valuenow'] });
      const button = [...document.querySelectorAll('button')].find((b) => b.textContent === 'Start');
      w.__bench.recording = true;
      w.__bench.startedAt = performance.now();
      button.click();
    }, requests);
    await page.waitForFunction(() => /** @type {any} */ (window).__bench.doneAt > 0, null, { timeout: 1_800_000, polling: 500 });
    await start.waitFor({ state: 'visible' });
    await page.waitForFunction(() => !document.querySelector('button[type=submit]')?.disabled, null, { timeout: 60_000 });
    const errors = await page.getByRole('alert', { name: 'Request errors' }).count();
    if (errors) throw new Error(`the page run had request errors: ${await page.getByRole('alert', { name: 'Request errors' }).innerText()}`);
    const cpuMsPerRequest = ((await threadSeconds(cdp)) - cpuBefore) * 1000 / requests;
    const heapAfter = await heapMB(cdp);
    await cdp.send('HeapProfiler.collectGarbage');
    const heapAfterGc = await heapMB(cdp);
    const b = await page.evaluate(() => /** @type {any} */ (window).__bench);
    const marks = await page.locator('[data-mark]').count();
    return { rate: (requests * 1000) / (b.doneAt - b.startedAt), cpuMsPerRequest, longTasks: b.longTasks, worstTaskMs: b.worstTaskMs, heapBefore, heapAfter, heapAfterGc, marks };
  } finally {
    await page.close();
  }
}

/**
 * Best of `rounds` for each of node, fetch loop and page, on `target` through the app at `base`.
 * `resolve`: `host:port:address` overrides, as the form takes them.
 */
export async function measureBrowserRate({ base, target, resolve = [], requests, rounds, log = () => undefined }) {
  const { chromium } = require('@playwright/test');
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  const relay = new URL('/api/relay', base).href;
  let best = { node: 0, fetchLoop: null, page: null };
  try {
    for (let round = 0; round < rounds; round++) {
      const node = await nodeRate(target, relay, requests, resolve);
      const fetchLoop = await fetchLoopRate(browser, base, target, requests, resolve);
      const page = await pageRun(browser, base, target, requests, resolve);
      log(
        `  browser round ${round + 1}: node ${Math.round(node)}/s, fetch loop ${Math.round(fetchLoop.rate)}/s (${fetchLoop.cpuMsPerRequest.toFixed(2)} ms CPU each), page ${Math.round(page.rate)}/s (${page.cpuMsPerRequest.toFixed(2)} ms CPU each), longest task ${Math.round(page.worstTaskMs)} ms`,
      );
      best = {
        node: Math.max(best.node, node),
        fetchLoop: !best.fetchLoop || fetchLoop.rate > best.fetchLoop.rate ? fetchLoop : best.fetchLoop,
        page: !best.page || page.rate > best.page.rate ? page : best.page,
      };
    }
  } finally {
    await browser.close();
  }
  return { requests, ...best };
}
