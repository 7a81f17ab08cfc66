import { expect, test } from '@playwright/test';
import { z } from 'zod';
import { runProbe, watchProblems } from './demo-lab-probe';

// Every page of the demo lab in Chromium under the Content-Security-Policy the server sends: a blocked script, style
// or request shows as a `securitypolicyviolation` event, which is turned into a console error here, so any console
// error or page error fails the test. The share page is opened on the share listener (STICKYSCOPE_SHARE_PORT in
// playwright.config.ts), which serves nothing else.

test('the detector sees a violation: an injected inline script is blocked and reported', async ({ page }) => {
  const problems = await watchProblems(page);
  await page.goto('/');
  await page.evaluate(() => {
    const script = document.createElement('script');
    script.textContent = 'window.injected = true';
    document.body.append(script);
  });
  await expect.poll(() => problems.join('\n')).toMatch(/CSP violation: script-src-elem blocked inline/);
  expect(await page.evaluate(() => 'injected' in window)).toBe(false);
});

test('every page renders under the policy without a violation or console error', async ({ page, request, browser }) => {
  const problems = await watchProblems(page);

  await page.goto('/');
  await page.locator('tr[data-service="sticky-ok"]').getByRole('link', { name: 'sticky-ok' }).click();
  await expect(page.getByRole('heading', { name: 'sticky-ok' })).toBeVisible();

  const first = await runProbe(page, request, 'sticky-ok');
  const second = await runProbe(page, request, 'no-sticky');

  await page.goto('/reports');
  await expect(page.locator(`a[href="/reports/${first}"]`)).toBeVisible();
  await page.goto(`/reports/${first}`);
  await expect(page.getByRole('region', { name: 'Verdict' })).toContainText('PASS');
  await expect(page.getByRole('figure', { name: 'Latency by replica' })).toBeVisible();
  await page.goto(`/reports/compare?a=${first}&b=${second}`);
  await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
  expect(problems).toEqual([]);

  const notFound = await browser.newPage();
  // The missing page's own 404 is what Chromium reports for its document; nothing else may show.
  const notFoundProblems = await watchProblems(notFound, [/status of 404/]);
  expect((await notFound.goto('/no-such-page'))?.status()).toBe(404);
  await expect(notFound.getByRole('heading', { name: 'Page not found' })).toBeVisible();
  expect(notFoundProblems).toEqual([]);

  const share = await request.post(`/api/reports/${first}/shares`, { data: { expiresInHours: null } });
  const { shareUrl } = z.object({ shareUrl: z.string() }).parse(await share.json());
  expect(new URL(shareUrl).port, 'share links point at the share listener').not.toBe(new URL(page.url()).port);
  const reader = await (await browser.newContext()).newPage();
  const readerProblems = await watchProblems(reader);
  await reader.goto(shareUrl);
  await expect(reader.getByRole('region', { name: 'Verdict' })).toContainText('PASS');
  for (const chart of ['Replica lane timeline', 'Distribution by replica']) await expect(reader.getByRole('figure', { name: chart })).toBeVisible();
  expect(readerProblems).toEqual([]);
});

test('the share listener serves share pages only; the main port serves the rest', async ({ page, request, baseURL }) => {
  const id = await runProbe(page, request, 'sticky-ok');
  const share = await request.post(`/api/reports/${id}/shares`, { data: { expiresInHours: null } });
  const shareOrigin = new URL(z.object({ shareUrl: z.string() }).parse(await share.json()).shareUrl).origin;
  const calls: [string, (origin: string) => Promise<number>][] = [
    ['GET /', (origin) => request.get(`${origin}/`).then((r) => r.status())],
    ['GET /api/reports', (origin) => request.get(`${origin}/api/reports`).then((r) => r.status())],
    [`GET /reports/${id}`, (origin) => request.get(`${origin}/reports/${id}`).then((r) => r.status())],
    // An empty relay request: the main port's relay answers it (400, naming what is missing); the share port has none.
    ['POST /api/relay', (origin) => request.post(`${origin}/api/relay`, { data: {} }).then((r) => r.status())],
  ];
  for (const [name, call] of calls) {
    expect(await call(shareOrigin), `${name} on the share listener`).toBe(404);
    expect(await call(baseURL ?? ''), `${name} on the main port`).toBeLessThan(404);
  }
});
