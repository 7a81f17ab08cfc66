import { readFile } from 'node:fs/promises';
import { expect, test, type APIRequestContext, type Page } from '@playwright/test';
import { z } from 'zod';
import { createShareLink } from './demo-lab-pages';

// Probe reports on the embedded demo lab: a run from the Probe page is saved as it goes, shared through a read-only
// link, exported and imported, listed, compared and deleted.

const labSchema = z.object({
  sources: z.object({ lab: z.object({ balancer: z.object({ address: z.literal('127.0.0.1'), port: z.number().int() }) }) }),
  services: z.array(z.object({ id: z.string(), name: z.string() })),
});

/** What a run sends beyond the scenario's defaults: a query string on the target, extra header lines typed in. */
type RunExtras = { query?: string; headers?: string[] };

/**
 * Opens the Probe page prefilled for a lab scenario, the way "Probe this service" does, and runs it to the end.
 * `redact: false` unticks "Redact shared links" first.
 */
async function runScenario(page: Page, request: APIRequestContext, scenario: string, requests = 30, redact = true, extras: RunExtras = {}) {
  const lab = labSchema.parse(await (await request.get('/api/topology')).json());
  const { port, address } = lab.sources.lab.balancer;
  const service = lab.services.find((s) => s.name === scenario);
  expect(service, `lab service ${scenario}`).toBeDefined();
  const host = `${scenario}.lab.test`;
  const query = new URLSearchParams({
    target: `http://${host}:${port}/${extras.query ? `?${extras.query}` : ''}`,
    resolve: `${host}:${port}:${address}`,
    service: service?.id ?? '',
    requests: String(requests),
    interval: '0',
  });
  await page.goto(`/probes?${query}`);
  if (!redact) await page.getByRole('checkbox', { name: 'Redact shared links' }).uncheck();
  if (extras.headers) await page.getByLabel('Extra headers').fill(extras.headers.join('\n'));
  await page.getByRole('button', { name: 'Start' }).click();
  await expect(page.getByRole('progressbar', { name: 'Probe progress' })).toHaveAttribute('aria-valuenow', String(requests), { timeout: 30_000 });
  const saving = page.getByRole('status', { name: 'Report saving' });
  await expect(saving).toContainText('Saved as a report');
  await expect(saving).toContainText(`${requests} records saved`);
  const href = await page.getByRole('link', { name: 'Open report' }).getAttribute('href');
  const id = /^\/reports\/([A-Za-z0-9_-]+)$/.exec(href ?? '')?.[1];
  expect(id, 'report id in the Open report link').toBeDefined();
  return { id: id ?? '', verdict: page.getByRole('region', { name: 'Verdict' }) };
}

/** Every cookie value the run saw, from the author's unredacted export. */
function rawCookieValues(report: { records: { setCookies: { value: string; previousValue: string | null }[]; balancer: { sent: string | null; set: string | null } | null }[] }) {
  const values = new Set<string>();
  for (const r of report.records) {
    for (const c of r.setCookies) for (const v of [c.value, c.previousValue]) if (v) values.add(v);
    for (const v of [r.balancer?.sent, r.balancer?.set]) if (v) values.add(v);
  }
  return [...values];
}

const CHARTS = ['Replica lane timeline', 'Replica share over time', 'Distribution by replica', 'Latency by replica', 'Cookie event timeline'];
const PRIVATE_ADDRESS = /(?<![\d.])(?:127|10)\.\d{1,3}\.\d{1,3}\.\d{1,3}|(?<![\d.])192\.168\.\d{1,3}\.\d{1,3}|(?<![\d.])172\.(?:1[6-9]|2\d|3[01])\.\d{1,3}\.\d{1,3}/;

function expectShareHeaders(headers: Record<string, string>) {
  expect(headers['referrer-policy']).toBe('no-referrer');
  expect(headers['x-robots-tag']).toBe('noindex');
  expect(headers['cache-control']).toContain('no-store');
}

// scaled-away: the balancer cookie pins the user, then the pinned replica is replaced after 10 requests and the cookie
// changes value, so raw values show up in the diagnosis and the cookie timeline of an unredacted page.
test('a run is shared read-only: same verdict and charts in a fresh browser, no cookie value or private address in the page', async ({ page, request, browser }) => {
  const { id, verdict } = await runScenario(page, request, 'scaled-away');
  await expect(verdict).toContainText('FAIL');
  const liveFacts = await verdict.locator('dl').innerText();
  for (const chart of CHARTS) await expect(page.getByRole('figure', { name: chart })).toBeVisible();

  const shareUrl = await createShareLink(page);

  const exported = await (await request.get(`/api/reports/${id}`)).json();
  const secrets = rawCookieValues(exported);
  expect(secrets.length, 'the balancer set cookies').toBeGreaterThan(1);
  // The author's own page is not redacted: the values are there to be found, so their absence below means something.
  const authorHtml = await (await request.get(`/reports/${id}`)).text();
  expect(secrets.some((secret) => authorHtml.includes(secret))).toBe(true);
  expect(authorHtml).toMatch(PRIVATE_ADDRESS);

  const reader = await browser.newContext();
  const shared = await reader.newPage();
  await shared.goto(shareUrl);
  const sharedVerdict = shared.getByRole('region', { name: 'Verdict' });
  await expect(sharedVerdict).toContainText('FAIL');
  expect(await sharedVerdict.locator('dl').innerText()).toBe(liveFacts);
  for (const chart of CHARTS) await expect(shared.getByRole('figure', { name: chart })).toBeVisible();
  await expect(shared).toHaveTitle(/^FAIL: scaled-away\.lab\.test/);
  await reader.close();

  // Verdict and diagnosis are in the server's HTML: readable with JavaScript off.
  const noScript = await browser.newContext({ javaScriptEnabled: false });
  const plain = await noScript.newPage();
  await plain.goto(shareUrl);
  await expect(plain.getByRole('region', { name: 'Verdict' })).toContainText('FAIL');
  await expect(plain.getByRole('list', { name: 'Diagnosis' })).toBeVisible();
  await noScript.close();

  const raw = await request.get(shareUrl);
  expect(raw.status()).toBe(200);
  expectShareHeaders(raw.headers());
  const html = await raw.text();
  expect(html).toContain('og:title');
  for (const secret of secrets) expect(html, `cookie value ${secret}`).not.toContain(secret);
  expect(html).not.toMatch(PRIVATE_ADDRESS);

  await page.getByRole('button', { name: 'Revoke' }).click();
  await expect(page.getByRole('list', { name: 'Share links' })).toContainText('revoked');
  const revoked = await request.get(shareUrl);
  expect(revoked.status()).toBe(404);
  expectShareHeaders(revoked.headers());

  const unknown = await request.get('/r/AAAAAAAAAAAAAAAAAAAAAA');
  expect(unknown.status()).toBe(404);
  expectShareHeaders(unknown.headers());
});

test('a failover experiment of the run is measured under the verdict and marked on the charts, on the share page too', async ({ page, request, browser }) => {
  const { id } = await runScenario(page, request, 'scaled-away');
  const exported = await (await request.get(`/api/reports/${id}`)).json();
  const secrets = rawCookieValues(exported);
  const tenth = exported.records[9];
  // As the CLI publishes a run with --experiment: the action after request 10, where the lab replaces the pinned replica.
  const experiment = {
    id: 'e2e-kill-task',
    action: 'kill-task',
    service: 'scaled-away',
    taskId: 'k1l2l3e4d5t6a7s8k9',
    taskName: 'scaled-away.1',
    replica: exported.records[0].replica,
    afterIndex: 10,
    atMs: Math.round(tenth.startedAt + tenth.latencyMs),
    ok: true,
    message: 'killed the container of scaled-away.1',
    measurement: null,
  };
  const imported = await request.post('/api/reports', { data: { ...exported, experiments: [experiment] } });
  expect(imported.status()).toBe(201);
  const { id: newId, shareUrl } = (await imported.json()) as { id: string; shareUrl: string };

  // The dashboard measures it from the records it holds.
  const stored = await (await request.get(`/api/reports/${newId}`)).json();
  expect(stored.experiments[0].measurement).toMatchObject({ outcome: 'recovered', repinned: true, pinnedReplica: experiment.replica });

  for (const [viewer, url] of [[page, `/reports/${newId}`], [await (await browser.newContext()).newPage(), shareUrl]] as const) {
    await viewer.goto(url);
    const failover = viewer.getByRole('region', { name: 'Failover measurement' });
    await expect(failover).toContainText("Stop the task's container on scaled-away.1, after request 10");
    await expect(failover).toContainText('Re-pinned:');
    for (const chart of ['Replica lane timeline', 'Cookie event timeline']) {
      await expect(viewer.getByRole('figure', { name: chart }).locator('[data-mark="annotation"]')).toContainText("Stop the task's container");
    }
  }
  const sharedHtml = await (await request.get(shareUrl)).text();
  for (const secret of secrets) expect(sharedHtml, `cookie value ${secret}`).not.toContain(secret);
  expect(sharedHtml).not.toMatch(PRIVATE_ADDRESS);
});

/** The share page's HTML and both of its export files. */
async function sharedTexts(request: APIRequestContext, shareUrl: string): Promise<Record<string, string>> {
  const texts: Record<string, string> = {};
  for (const [name, url] of [['page', shareUrl], ['report.json', `${shareUrl}/report.json`], ['records.csv', `${shareUrl}/records.csv`]] as const) {
    const response = await request.get(url);
    expect(response.status(), url).toBe(200);
    expectShareHeaders(response.headers());
    texts[name] = await response.text();
  }
  return texts;
}

// The leak an attack review found on real share pages: credential headers other than Authorization and Cookie, and
// link-local, CGNAT, IPv6 loopback and unique local addresses, were shown to anyone holding the link.
test('redaction regression: a share page and its exports show no X-Api-Key, X-Auth-Token, credential parameter or non-public address', async ({ page, request }) => {
  const secrets = { apiKey: 'e2e-api-key-7Hq2vXw', authToken: 'e2e-auth-token-Kp9wZr', accessToken: 'e2e-access-token-Qm3sLd' };
  const { id } = await runScenario(page, request, 'sticky-ok', 20, true, {
    query: `access_token=${secrets.accessToken}&page=2`,
    headers: [`X-Api-Key: ${secrets.apiKey}`, `X-Auth-Token: ${secrets.authToken}`, 'X-Trace: e2e'],
  });
  const shareUrl = await createShareLink(page);
  const exported = await (await request.get(`/api/reports/${id}`)).json();
  // The run sent them, and the author's own export keeps them: their absence below means something.
  expect(exported.spec.headers).toMatchObject({ 'X-Api-Key': secrets.apiKey, 'X-Auth-Token': secrets.authToken, 'X-Trace': 'e2e' });
  expect(exported.spec.target).toContain(secrets.accessToken);

  // Addresses a cluster run records and the lab cannot produce, as a run published from the command line brings them.
  const { host, port } = exported.spec.resolve[0];
  const addresses = ['169.254.169.254', '100.64.7.8', '::1', 'fd00::7'];
  const copy = structuredClone(exported);
  copy.spec.resolve.push({ host, port, address: '::1' }, { host, port, address: 'fd00::7' }, { host, port, address: '100.64.7.8' });
  copy.outcome.diagnosis.push({
    code: 'balancer-cookie-changed',
    severity: 'info',
    message: `metadata at http://169.254.169.254/latest, node 100.64.7.8:2377, console [::1]:3000, replica fd00::7 with key ${secrets.apiKey}`,
    atIndex: null,
    cookie: null,
  });
  const imported = await request.post('/api/reports', { data: copy });
  expect(imported.status()).toBe(201);
  const importedShare = ((await imported.json()) as { shareUrl: string }).shareUrl;
  expect(JSON.stringify(copy)).toContain('169.254.169.254');

  for (const url of [shareUrl, importedShare]) {
    const texts = await sharedTexts(request, url);
    for (const [name, text] of Object.entries(texts)) {
      for (const secret of Object.values(secrets)) expect(text, `${secret} in ${name} of ${url}`).not.toContain(secret);
      for (const address of addresses) {
        const standing = new RegExp(`(?<![0-9a-f:.])${address.replace(/\./g, '\\.')}(?![0-9a-f:]|\\.\\d)`, 'i');
        expect(text, `${address} in ${name} of ${url}`).not.toMatch(standing);
      }
      expect(text, `private address in ${name} of ${url}`).not.toMatch(PRIVATE_ADDRESS);
    }
    const shared = JSON.parse(texts['report.json'] ?? '');
    expect(shared.id).toBe('unstored');
    expect(shared.redaction.applied).toMatchObject({ authHeaders: true, privateIps: true });
    expect(shared.spec.headers).toEqual({ 'X-Trace': 'e2e' });
    expect(new URL(shared.spec.target).searchParams.get('page')).toBe('2');
    expect(texts.page).toContain('X-Trace');
  }

  // The redacted file is a report like any other: another dashboard imports it.
  const reimported = await request.post('/api/reports', { data: JSON.parse((await sharedTexts(request, importedShare))['report.json'] ?? '') });
  expect(reimported.status()).toBe(201);
});

test('an author who turns redaction off shares the raw values', async ({ page, request }) => {
  const { id } = await runScenario(page, request, 'scaled-away', 30, false);
  const shareUrl = await createShareLink(page);
  await expect(page.getByRole('region', { name: 'Report' })).toContainText('not redacted');
  const secrets = rawCookieValues(await (await request.get(`/api/reports/${id}`)).json());
  const html = await (await request.get(shareUrl)).text();
  expect(secrets.some((secret) => html.includes(secret))).toBe(true);
  expect(html).toContain('Shared without redaction');
});

test('export then import gives an equal report under a new id', async ({ page, request }) => {
  const { id } = await runScenario(page, request, 'secure-cookie-over-http', 20);
  await page.goto(`/reports/${id}`);
  await expect(page.getByRole('region', { name: 'Verdict' })).toContainText('FAIL');
  const download = page.waitForEvent('download');
  await page.getByRole('link', { name: 'Export JSON' }).click();
  const file = await (await download).path();
  const original = JSON.parse(await readFile(file, 'utf8'));

  await page.goto('/reports');
  const importInput = page.getByLabel('Import a JSON report');
  await expect(importInput).toBeEnabled();
  await importInput.setInputFiles(file);
  await expect(page).toHaveURL(/\/reports\/(?!compare)[A-Za-z0-9_-]+$/);
  const newId = page.url().split('/').pop() ?? '';
  expect(newId).not.toBe(id);
  await expect(page.getByRole('region', { name: 'Verdict' })).toContainText('FAIL');

  // Import keeps everything but the id: times, status, records, outcome, topology and redaction choices travel along.
  const copy = await (await request.get(`/api/reports/${newId}`)).json();
  expect({ ...copy, id: original.id }).toEqual(original);
});

test('reports are listed with filters, compared before/after, and deleted', async ({ page, request }) => {
  const before = await runScenario(page, request, 'no-sticky', 20);
  await expect(before.verdict).toContainText('FAIL');
  const after = await runScenario(page, request, 'sticky-ok', 20);
  await expect(after.verdict).toContainText('PASS');

  await page.goto('/');
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Reports' }).click();
  const row = (id: string) => page.locator(`tr[data-report="${id}"]`);
  await expect(row(before.id)).toContainText('FAIL');
  await expect(row(after.id)).toContainText('PASS');

  await page.getByLabel('Verdict').selectOption('fail');
  await page.getByRole('button', { name: 'Filter' }).click();
  await expect(row(before.id)).toBeVisible();
  await expect(row(after.id)).toHaveCount(0);
  await page.getByLabel('Target host').fill('no-sticky.lab.test');
  await page.getByLabel('Verdict').selectOption('');
  await page.getByRole('button', { name: 'Filter' }).click();
  await expect(row(before.id)).toBeVisible();
  await expect(row(after.id)).toHaveCount(0);

  await page.goto('/reports');
  await row(before.id).getByRole('checkbox').check();
  await row(after.id).getByRole('checkbox').check();
  await page.getByRole('button', { name: 'Compare the two selected' }).click();
  const changes = page.getByRole('list', { name: 'Changes' });
  await expect(changes).toContainText('verdict: FAIL → PASS');
  await expect(changes.locator('[data-aspect="first-break"]')).toContainText('→ none');
  // Two scenarios are two services: the page lists what differs without calling it a fix.
  await expect(page.getByRole('note')).toContainText('These runs probed different targets');
  await expect(page.getByRole('region', { name: 'Before' }).getByRole('region', { name: 'Verdict' })).toContainText('FAIL');
  await expect(page.getByRole('region', { name: 'After' }).getByRole('region', { name: 'Verdict' })).toContainText('PASS');
  await expect(page.getByRole('region', { name: 'After' }).getByRole('figure', { name: 'Distribution by replica' })).toBeVisible();

  await page.goto('/reports');
  page.once('dialog', (dialog) => void dialog.accept());
  await row(before.id).getByRole('button', { name: /^Delete report/ }).click();
  await expect(row(before.id)).toHaveCount(0);
  expect((await request.get(`/api/reports/${before.id}`)).status()).toBe(404);
});
