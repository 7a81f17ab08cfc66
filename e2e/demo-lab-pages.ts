import { expect, type Page } from '@playwright/test';

// Steps the demo lab specs share: open a scenario's service page, probe it from there, share a saved run.

export async function openService(page: Page, scenario: string) {
  await page.goto('/');
  await page.locator(`tr[data-service="${scenario}"]`).getByRole('link', { name: scenario }).click();
  await expect(page.getByRole('heading', { name: scenario })).toBeVisible();
}

/** Starts the run the Probe page holds and waits for all `requests` of it; returns the verdict. */
export async function runProbeForm(page: Page, requests: number) {
  await page.getByRole('textbox', { name: 'Requests', exact: true }).fill(String(requests));
  await page.getByRole('textbox', { name: 'Interval (ms)' }).fill('0');
  await page.getByRole('button', { name: 'Start' }).click();
  await expect(page.getByRole('progressbar', { name: 'Probe progress' })).toHaveAttribute('aria-valuenow', String(requests), { timeout: 30_000 });
  return page.getByRole('region', { name: 'Verdict' });
}

export async function probeScenario(page: Page, scenario: string, requests = 30) {
  await openService(page, scenario);
  await page.getByRole('link', { name: 'Probe this service' }).click();
  await expect(page.getByLabel('Target URL')).toHaveValue(new RegExp(`^http://${scenario}\\.lab\\.test:\\d+/$`));
  return runProbeForm(page, requests);
}

/** A share link for the report whose Share button is on the page. */
export async function createShareLink(page: Page): Promise<string> {
  await page.getByRole('button', { name: 'Share' }).click();
  await page.getByRole('button', { name: 'Create share link' }).click();
  const shareUrl = await page.getByRole('textbox', { name: 'Share link' }).first().inputValue();
  expect(shareUrl).toMatch(/\/r\/[A-Za-z0-9_-]{22}$/);
  return shareUrl;
}
