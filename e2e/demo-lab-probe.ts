// Shared by the demo lab's Playwright specs: a short probe of a lab scenario from the Probe page, saved as a report,
// and a watch on a page's console errors, page errors and Content-Security-Policy violations.
import { expect, type APIRequestContext, type Page } from '@playwright/test';
import { z } from 'zod';

const labSchema = z.object({
  sources: z.object({ lab: z.object({ balancer: z.object({ address: z.string(), port: z.number().int() }) }) }),
  services: z.array(z.object({ id: z.string(), name: z.string() })),
});

/** Console errors, page errors and policy violations of `page` from now on, except the messages `expected` matches. */
export async function watchProblems(page: Page, expected: RegExp[] = []): Promise<string[]> {
  const problems: string[] = [];
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => {
      console.error(`CSP violation: ${e.effectiveDirective} blocked ${e.blockedURI || 'inline'} (${e.sourceFile}:${e.lineNumber})`);
    });
  });
  page.on('console', (message) => {
    const text = message.text();
    const suspicious = message.type() === 'error' || /Content.Security.Policy|Permissions.Policy|Refused to/i.test(text);
    if (suspicious && !expected.some((pattern) => pattern.test(text))) problems.push(`console ${message.type()}: ${text} (${message.location().url})`);
  });
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  return problems;
}

export async function runProbe(page: Page, request: APIRequestContext, scenario: string): Promise<string> {
  const lab = labSchema.parse(await (await request.get('/api/topology')).json());
  const { port, address } = lab.sources.lab.balancer;
  const host = `${scenario}.lab.test`;
  const query = new URLSearchParams({
    target: `http://${host}:${port}/`,
    resolve: `${host}:${port}:${address}`,
    service: lab.services.find((s) => s.name === scenario)?.id ?? '',
    requests: '20',
    interval: '0',
  });
  await page.goto(`/probes?${query}`);
  await page.getByRole('button', { name: 'Start' }).click();
  await expect(page.getByRole('status', { name: 'Report saving' })).toContainText('20 records saved', { timeout: 30_000 });
  await expect(page.getByRole('figure', { name: 'Replica lane timeline' })).toBeVisible();
  const href = await page.getByRole('link', { name: 'Open report' }).getAttribute('href');
  return /^\/reports\/([A-Za-z0-9_-]+)$/.exec(href ?? '')?.[1] ?? '';
}

