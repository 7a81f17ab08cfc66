import { expect, test, type Page } from '@playwright/test';

// The app with no cluster configured: the embedded demo lab is what it shows. Each scenario is probed the way a
// person would, from its service page, through the address override the page fills in.

async function probeScenario(page: Page, scenario: string) {
  await page.goto('/');
  await page.locator(`tr[data-service="${scenario}"]`).getByRole('link', { name: scenario }).click();
  await expect(page.getByRole('heading', { name: scenario })).toBeVisible();
  await page.getByRole('link', { name: 'Probe this service' }).click();
  await expect(page.getByLabel('Target URL')).toHaveValue(new RegExp(`^http://${scenario}\\.lab\\.test:\\d+/$`));
  await page.getByLabel('Requests').fill('30');
  await page.getByLabel('Interval (ms)').fill('0');
  await page.getByRole('button', { name: 'Start' }).click();
  const progress = page.getByRole('progressbar', { name: 'Probe progress' });
  await expect(progress).toHaveAttribute('aria-valuenow', '30', { timeout: 30_000 });
  return page.getByRole('region', { name: 'Verdict' });
}

test('overview shows the demo lab, its scenarios and their findings', async ({ page }, testInfo) => {
  await page.goto('/');
  await expect(page.getByRole('note', { name: 'Embedded demo lab' })).toBeVisible();
  for (const scenario of ['sticky-ok', 'no-sticky', 'secure-cookie-over-http', 'lbswarm', 'split-routers', 'samesite-none-insecure']) {
    await expect(page.locator(`tr[data-service="${scenario}"]`)).toBeVisible();
  }
  await expect(page.locator('tr[data-service="no-sticky"]')).toContainText('error');
  await expect(page.locator('tr[data-service="secure-cookie-over-http"]')).toContainText('error');
  await expect(page.locator('tr[data-service="sticky-ok"]')).not.toContainText('error');
  await page.screenshot({ path: testInfo.outputPath('demo-overview.png'), fullPage: true });
});

test('a probe of sticky-ok passes', async ({ page }, testInfo) => {
  const verdict = await probeScenario(page, 'sticky-ok');
  await expect(verdict).toContainText('PASS');
  await page.screenshot({ path: testInfo.outputPath('demo-sticky-ok.png'), fullPage: true });
});

test('a probe of secure-cookie-over-http fails with the Secure diagnosis', async ({ page }, testInfo) => {
  const verdict = await probeScenario(page, 'secure-cookie-over-http');
  await expect(verdict).toContainText('FAIL');
  await expect(verdict).toContainText('Secure');
  await page.screenshot({ path: testInfo.outputPath('demo-secure-cookie.png'), fullPage: true });
});

test('a probe of no-sticky fails', async ({ page }) => {
  const verdict = await probeScenario(page, 'no-sticky');
  await expect(verdict).toContainText('FAIL');
});
