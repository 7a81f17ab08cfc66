import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import type { HaproxyLab } from '../scripts/lab/haproxy.mjs';
import { readLabInfo } from './lab-info';

// Direct mode: the page's own fetch and the browser's real cookie jar, against a real HAProxy cookie-insert balancer
// whose replicas answer through CORS (replica.mjs --cors). The page runs on http://127.0.0.1:PORT; the balancer on
// 127.0.0.1 is the same site (ports do not count), on localhost it is another site, where Chromium does not send the
// balancer's cookie (SameSite defaults to Lax) and the run breaks although the balancer is sticky.

let lab: HaproxyLab;
let labDir: string;

test.beforeAll(async () => {
  labDir = mkdtempSync(path.join(os.tmpdir(), 'stickyscope-e2e-cors-'));
  // Imported when needed: Playwright compiles specs to CommonJS, and a static import of an ES module would be too.
  const { startHaproxyLab } = await import('../scripts/lab/haproxy.mjs');
  lab = await startHaproxyLab({ dir: labDir, cors: true });
});

test.afterAll(async () => {
  await lab?.stop();
  rmSync(labDir, { recursive: true, force: true });
});

async function runDirect(page: Page, target: string, requests: number) {
  const q = new URLSearchParams({ target, requests: String(requests), interval: '0', mode: 'direct' });
  await page.goto(`/probes?${q}`);
  await expect(page.getByLabel('Target URL')).toHaveValue(target);
  await page.getByRole('button', { name: 'Start' }).click();
  await expect(page.getByRole('progressbar', { name: 'Probe progress' })).toHaveAttribute('aria-valuenow', String(requests));
  await expect(page.getByRole('button', { name: 'Start' })).toBeEnabled();
}

test('a same-site target: the browser keeps and sends the balancer cookie itself, and the run PASSes', async ({ page }, testInfo) => {
  const target = lab.urls.sticky;
  await runDirect(page, target, 30);

  await expect(page.getByLabel('How requests are sent')).toContainText('this browser fetches');
  await expect(page.getByLabel('How requests are sent')).toContainText('list of allowed targets does not apply');
  // Every record names the transport that produced it.
  await expect(page.getByText('30 records · direct')).toBeVisible();

  const verdict = page.getByRole('region', { name: 'Verdict' });
  await expect(verdict).toContainText('PASS');
  await expect(verdict).toContainText('Sticky: all 30 identified responses came from replica-');
  await expect(verdict.getByRole('list', { name: 'Diagnosis' })).toContainText('cookies-unseen');
  await expect(verdict).not.toContainText('no-balancer-cookie');

  const note = page.getByRole('note', { name: 'Direct mode cookie limits' });
  await expect(note).toContainText('Set-Cookie');
  await expect(note).toContainText('HttpOnly');
  await expect(note.getByLabel('Site relation')).toContainText('are the same site');
  await expect(page.getByRole('table', { name: 'Cookies' })).toHaveCount(0);

  // What the page could not see, the browser did: it holds the balancer's HttpOnly cookie for the target's host.
  const cookies = await page.context().cookies(target);
  expect(cookies.find((c) => c.name === lab.cookieName)).toMatchObject({ httpOnly: true, domain: '127.0.0.1' });
  await page.screenshot({ path: testInfo.outputPath('probe-direct-same-site.png'), fullPage: true });
});

test('a cross-site target: the browser withholds the Lax cookie, so the sticky balancer FAILs in direct mode', async ({ page }, testInfo) => {
  const target = `http://localhost:${lab.frontends.sticky}/`;
  await runDirect(page, target, 30);

  const verdict = page.getByRole('region', { name: 'Verdict' });
  await expect(verdict).toContainText('FAIL');
  await expect(verdict).toContainText('Not sticky: request 2 was answered by');
  const diagnosis = verdict.getByRole('list', { name: 'Diagnosis' });
  await expect(diagnosis).toContainText('cookies-unseen');
  await expect(diagnosis).toContainText('did not store it or send it back');
  await expect(page.getByRole('note', { name: 'Direct mode cookie limits' }).getByLabel('Site relation')).toContainText('are different sites');
  // Round robin over all three replicas: no cookie came back.
  const replicas = page.getByRole('table', { name: 'Replicas' });
  for (const r of lab.replicas) await expect(replicas).toContainText(r.name);
  await page.screenshot({ path: testInfo.outputPath('probe-direct-cross-site.png'), fullPage: true });
});

test('a target without CORS: every request fails and the page says why', async ({ page }) => {
  // The e2e server's own HAProxy lab answers without CORS headers.
  await runDirect(page, readLabInfo().haproxy.urls.sticky, 3);
  const errors = page.getByRole('alert', { name: 'Request errors' });
  await expect(errors).toContainText('3 of 3 requests failed');
  await expect(errors).toContainText('does not allow this origin through CORS');
});
