import { expect, test, type Page } from '@playwright/test';
import { z } from 'zod';
import { runProbe, watchProblems } from './demo-lab-probe';

// Every page of the demo lab on a phone (390×844): nothing wider than the screen, so the page never scrolls sideways
// (a wide table scrolls inside its own box), and no console error on the way, the icon requests included.

const PHONE = { width: 390, height: 844 };

/** How far the page reaches past the viewport's right edge, and the widest elements that do, to say what to fix. */
async function overflow(page: Page): Promise<{ excess: number; culprits: string[] }> {
  return page.evaluate(() => {
    const root = document.documentElement;
    const width = root.clientWidth;
    const culprits: string[] = [];
    for (const el of Array.from(document.body.querySelectorAll('*'))) {
      const box = el.getBoundingClientRect();
      if (box.right > width + 1 && culprits.length < 5) {
        // Inside a box that scrolls on its own, the element is reachable without moving the page.
        let scroller: Element | null = el.parentElement;
        while (scroller && !['auto', 'scroll', 'hidden', 'clip'].includes(getComputedStyle(scroller).overflowX)) scroller = scroller.parentElement;
        if (!scroller) culprits.push(`${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ''}.${String(el.className).split(' ').slice(0, 3).join('.')} right=${Math.round(box.right)}`);
      }
    }
    return { excess: root.scrollWidth - width, culprits };
  });
}

async function expectFits(page: Page, what: string) {
  await page.waitForLoadState('networkidle');
  const { excess, culprits } = await overflow(page);
  expect(excess, `${what} is ${excess}px wider than the phone: ${culprits.join('; ')}`).toBeLessThanOrEqual(0);
}

test('no page is wider than a phone, and none logs an error', async ({ page, request, browser }) => {
  const id = await runProbe(page, request, 'no-sticky');
  const second = await runProbe(page, request, 'sticky-ok');
  await page.setViewportSize(PHONE);
  const problems = await watchProblems(page);

  const topology = z.object({ services: z.array(z.object({ id: z.string(), name: z.string() })) }).parse(await (await request.get('/api/topology')).json());
  const service = topology.services.find((s) => s.name === 'no-sticky');
  const pages: [string, string][] = [
    ['Overview', '/'],
    ['Service', `/services/${service?.id ?? ''}`],
    ['Probe', '/probes'],
    ['Reports', '/reports'],
    ['Report', `/reports/${id}`],
    ['Compare', `/reports/compare?a=${id}&b=${second}`],
  ];
  for (const [what, path] of pages) {
    await page.goto(path);
    await expect(page.getByRole('heading', { level: 1 }).first()).toBeVisible();
    await expectFits(page, what);
  }
  expect(problems).toEqual([]);

  const share = await request.post(`/api/reports/${id}/shares`, { data: { expiresInHours: 24 } });
  const { shareUrl } = z.object({ shareUrl: z.string() }).parse(await share.json());
  const reader = await (await browser.newContext({ viewport: PHONE })).newPage();
  await reader.goto(shareUrl);
  await expect(reader.getByRole('region', { name: 'Verdict' })).toContainText('FAIL');
  await expectFits(reader, 'Share page');
});

test('/favicon.ico leads to the app icon, on the dashboard and on the share listener', async ({ request, page }) => {
  const icon = await request.get('/favicon.ico');
  expect(icon.status()).toBe(200);
  expect(icon.headers()['content-type']).toContain('image/svg+xml');
  expect(icon.url()).toMatch(/\/icon\.svg$/);
  const id = await runProbe(page, request, 'sticky-ok');
  const share = await request.post(`/api/reports/${id}/shares`, { data: { expiresInHours: 24 } });
  const shareOrigin = new URL(z.object({ shareUrl: z.string() }).parse(await share.json()).shareUrl).origin;
  const shared = await request.get(`${shareOrigin}/favicon.ico`);
  expect(shared.status()).toBe(200);
  expect(shared.headers()['content-type']).toContain('image/svg+xml');
});
