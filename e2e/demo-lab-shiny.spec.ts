import { expect, test, type APIRequestContext } from '@playwright/test';
import { z } from 'zod';
import { createShareLink, openService, runProbeForm } from './demo-lab-pages';

// A Shiny developer's journey on the demo lab's shiny-dt scenario (replicas that emulate Shiny's session and DT route
// behind a Secure sticky cookie over plain http): the Probe page, left on auto, finds the Shiny app, fails it in
// Shiny's words, points at the service's finding, whose fix applied from there makes the next probe pass; the saved
// report and its share link show the same Shiny facts, the shared one without session ids; the rerun link repeats it.

const SCENARIO = 'shiny-dt';

const exportSchema = z.object({
  spec: z.object({ protocol: z.string(), shiny: z.object({ route: z.string(), output: z.string().nullable() }).optional() }),
  outcome: z.object({
    protocol: z.object({
      detection: z.object({ protocol: z.literal('shiny') }),
      shiny: z.object({ first: z.object({ sessionId: z.string().min(16) }), routes: z.array(z.object({ url: z.string() })) }),
    }),
  }),
  records: z.array(z.object({ protocol: z.object({ session: z.string().nullable() }).optional() })),
});

const reset = async ({ request }: { request: APIRequestContext }) => {
  expect((await request.post(`/api/lab/services/${SCENARIO}/reset`)).status()).toBe(200);
};
test.beforeEach(reset);
test.afterEach(reset);

test('shiny-dt: auto finds Shiny, fails with the DT diagnosis, the fix applied from the run passes, and the report and its share link tell the same, redacted', async ({ page, request, browser }, testInfo) => {
  await openService(page, SCENARIO);
  await expect(page.getByRole('note', { name: 'Emulation' })).toBeVisible();
  await expect(page.getByRole('link', { name: 'Probe socket.io' })).toHaveCount(0);
  await page.getByRole('link', { name: 'Probe this service' }).click();
  await expect(page.getByLabel('Protocol', { exact: true })).toHaveValue('auto');
  await expect(page.getByLabel('Shiny session route')).toHaveValue('auto');

  // Without working stickiness: the DT route reaches replicas that never held the session.
  const failed = await runProbeForm(page, 30);
  await expect(failed).toContainText('FAIL');
  const shiny = page.getByRole('region', { name: 'Shiny session' });
  await expect(shiny.getByLabel('Protocol detection')).toContainText('auto → shiny');
  await expect(shiny.getByLabel('Protocol detection')).toContainText('the page lists shiny-javascript 1.7.4-stickyscope-emulation in its html-dependencies');
  const story = shiny.getByRole('list', { name: 'What users of the app see' });
  await expect(story).toContainText("DT server-side tables and downloads will fail at random ('DataTables warning: Ajax error'");
  await expect(story).toContainText('Secure');
  const facts = shiny.getByLabel('Shiny facts');
  await expect(facts).toContainText('WebSocket (websocket/');
  await expect(facts).toContainText('1.7.4-stickyscope-emulation');
  await expect(facts).toContainText('DT table table (dataobj)');
  await expect(facts).toContainText(/[1-9]\d* × 404 \/ unknown session/);
  await expect(facts).toContainText(/first lost\s*request \d+/);
  await expect(shiny.getByLabel('What this run could and could not prove')).toContainText('reached a process that did not hold the session');

  await shiny.screenshot({ path: testInfo.outputPath('shiny-dt-fails.png') });

  // The service's finding behind it, with its fix, right under the run.
  const finding = page.getByRole('region', { name: 'What the configuration says' }).getByRole('article', { name: 'Secure sticky cookie served over plain http' });
  await expect(finding).toBeVisible();
  await finding.getByRole('button', { name: 'Apply this fix to the lab' }).click();
  await finding.getByRole('button', { name: 'Confirm and apply' }).click();
  await expect(finding).toHaveCount(0);
  await expect(page.getByRole('status', { name: 'Fix applied' }).getByRole('button', { name: 'Probe again' })).toBeVisible();

  // Probe again, naming the route this time, so the report's rerun link has Shiny options to carry.
  await page.getByLabel('Shiny session route').selectOption('dataobj');
  await page.getByLabel('Shiny output id').fill('table');
  const passed = await runProbeForm(page, 30);
  await expect(passed).toContainText('PASS');
  await expect(shiny.getByRole('list', { name: 'What users of the app see' })).toContainText('DT tables, downloads and uploads keep working behind this balancer');
  await expect(facts).toContainText('28 × 200 (reached the session)');
  await expect(facts).toContainText('0 × 404 / unknown session');

  const saving = page.getByRole('status', { name: 'Report saving' });
  await expect(saving).toContainText('Saved as a report');
  const href = await page.getByRole('link', { name: 'Open report' }).getAttribute('href');
  const id = /^\/reports\/([A-Za-z0-9_-]+)$/.exec(href ?? '')?.[1] ?? '';
  expect(id).not.toBe('');
  const shareUrl = await createShareLink(page);

  const exported = exportSchema.parse(await (await request.get(`/api/reports/${id}`)).json());
  expect(exported.spec).toMatchObject({ protocol: 'auto', shiny: { route: 'dataobj', output: 'table' } });
  const sessionIds = [...new Set(exported.records.map((r) => r.protocol?.session).filter((s): s is string => Boolean(s)))];
  expect(sessionIds).toContain(exported.outcome.protocol.shiny.first.sessionId);
  expect(exported.outcome.protocol.shiny.routes[0]?.url).toContain(`session/${exported.outcome.protocol.shiny.first.sessionId}/dataobj/table`);

  // The author's report: the same panel, session id included.
  await page.goto(`/reports/${id}`);
  const reportShiny = page.getByRole('region', { name: 'Shiny session' });
  await expect(reportShiny.getByLabel('Protocol detection')).toContainText('auto → shiny');
  await expect(reportShiny.getByLabel('Shiny facts')).toContainText(exported.outcome.protocol.shiny.first.sessionId);
  await expect(reportShiny.getByLabel('Shiny facts')).toContainText('0 × 404 / unknown session');

  // The share link: the same Shiny facts, no session id anywhere in the page.
  const reader = await browser.newContext();
  const shared = await reader.newPage();
  await shared.goto(shareUrl);
  const sharedShiny = shared.getByRole('region', { name: 'Shiny session' });
  await expect(sharedShiny.getByLabel('Protocol detection')).toContainText('auto → shiny');
  await expect(sharedShiny.getByLabel('Shiny facts')).toContainText('DT table table (dataobj)');
  await expect(sharedShiny.getByLabel('Shiny facts')).toContainText('28 × 200 (reached the session)');
  await expect(shared.getByRole('region', { name: 'Verdict' })).toContainText('PASS');
  await reader.close();
  const sharedHtml = await (await request.get(shareUrl)).text();
  expect(sharedHtml).toContain('Shiny session');
  for (const sessionId of sessionIds) expect(sharedHtml, `session id ${sessionId}`).not.toContain(sessionId);

  // Run this probe again: the Probe form, on auto with the Shiny options of the run.
  await page.getByRole('link', { name: 'Run this probe again' }).click();
  await expect(page).toHaveURL(/\/probes\?.*shiny-route=dataobj/);
  await expect(page.getByLabel('Target URL')).toHaveValue(/^http:\/\/shiny-dt\.lab\.test:\d+\/$/);
  await expect(page.getByLabel('Protocol', { exact: true })).toHaveValue('auto');
  await expect(page.getByLabel('Shiny session route')).toHaveValue('dataobj');
  await expect(page.getByLabel('Shiny output id')).toHaveValue('table');
});

test('a Probe page URL naming protocol shiny fills the Shiny fields, and a bad output id is refused on its field', async ({ page }) => {
  await page.goto('/probes?target=http://shiny-dt.lab.test/&protocol=shiny&shiny-route=download&shiny-output=report');
  await expect(page.getByLabel('Protocol', { exact: true })).toHaveValue('shiny');
  await expect(page.getByLabel('Shiny session route')).toHaveValue('download');
  await expect(page.getByLabel('Shiny output id')).toHaveValue('report');
  await page.getByLabel('Shiny output id').fill('my report');
  await page.getByRole('button', { name: 'Start' }).click();
  await expect(page.getByLabel('Shiny output id')).toHaveAttribute('aria-invalid', 'true');
  await expect(page.getByText('should be an output id like table or mod-table')).toBeVisible();
  await page.getByLabel('Protocol', { exact: true }).selectOption('http');
  await expect(page.getByLabel('Shiny session route')).toHaveCount(0);
});
