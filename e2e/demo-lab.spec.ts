import { expect, test, type APIRequestContext, type Page, type TestInfo } from '@playwright/test';
import { openService, probeScenario } from './demo-lab-pages';

// The app with no cluster configured: the embedded demo lab is what it shows. Each scenario is probed the way a
// person would, from its service page, through the address override the page fills in.

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

test('a probe of lbswarm fails, names the VIP behind the balancer, and the service\'s lbswarm finding right under it', async ({ page }) => {
  const verdict = await probeScenario(page, 'lbswarm');
  await expect(verdict).toContainText('FAIL');
  await expect(verdict).toContainText('Swarm VIP');
  await expect(verdict).not.toContainText('as after a failover');
  const explains = page.getByRole('region', { name: 'What the configuration says' });
  await expect(explains).toContainText('lbswarm-defeats-sticky');
});

async function attachScreenshot(page: Page, testInfo: TestInfo, name: string) {
  await testInfo.attach(name, { body: await page.screenshot({ fullPage: true }), contentType: 'image/png' });
}

test.describe('fix and verify', () => {
  // Label edits live in the app's lab until a reset; each test starts and ends with the scenarios' own labels.
  const resetAll = async ({ request }: { request: APIRequestContext }) => {
    for (const scenario of ['secure-cookie-over-http', 'no-sticky']) {
      expect((await request.post(`/api/lab/services/${scenario}/reset`)).status()).toBe(200);
    }
  };
  test.beforeEach(resetAll);
  test.afterEach(resetAll);

  test('secure-cookie-over-http: the probe fails on Secure, the fix applied on its page clears the finding, a new probe passes', async ({ page }, testInfo) => {
    const scenario = 'secure-cookie-over-http';
    const failed = await probeScenario(page, scenario);
    await expect(failed).toContainText('FAIL');
    await expect(failed).toContainText('Secure');
    await attachScreenshot(page, testInfo, 'fix-1-probe-fails');

    await openService(page, scenario);
    const finding = page.getByRole('article', { name: 'Secure sticky cookie served over plain http' });
    await expect(finding).toBeVisible();
    await expect(page.getByRole('note', { name: 'Lab edits' })).toContainText('embedded demo lab only');
    await attachScreenshot(page, testInfo, 'fix-2-service-page');
    await finding.getByRole('button', { name: 'Apply this fix to the lab' }).click();
    // Two clicks: the first only says what will change, so a card moving under the cursor is never applied by accident.
    await expect(finding.getByRole('group', { name: 'Confirm the fix' })).toContainText(`on the lab's ${scenario}?`);
    await finding.getByRole('button', { name: 'Confirm and apply' }).click();
    await expect(finding).toHaveCount(0);
    await expect(page.getByRole('status', { name: 'Fix applied' })).toContainText(`Applied to the lab: set 1 label on ${scenario}`);
    await expect(page.getByRole('status', { name: 'Fix applied' }).getByRole('link', { name: 'Probe again' })).toBeVisible();
    await expect(page.getByRole('table', { name: 'Lab labels' })).toContainText(
      `traefik.http.services.${scenario}.loadbalancer.sticky.cookie.secure`,
    );
    await expect(page.getByText('labels edited', { exact: true })).toBeVisible();
    await attachScreenshot(page, testInfo, 'fix-3-finding-gone');

    await page.goto('/');
    await expect(page.locator(`tr[data-service="${scenario}"]`)).not.toContainText('error');

    const passed = await probeScenario(page, scenario);
    await expect(passed).toContainText('PASS');
    await attachScreenshot(page, testInfo, 'fix-4-probe-passes');
  });

  test('free editing: a bad label is refused with the reader’s reason, a good one clears no-sticky, reset brings it back', async ({ page }, testInfo) => {
    const scenario = 'no-sticky';
    const cookieLabel = `traefik.http.services.${scenario}.loadbalancer.sticky.cookie`;
    await openService(page, scenario);
    const finding = page.getByRole('article', { name: 'Several replicas, no sticky cookie' });
    await expect(finding).toBeVisible();

    const form = page.getByRole('form', { name: 'Set a label' });
    await form.getByLabel('Label key').fill(cookieLabel);
    await form.getByLabel('Label value').fill('yes please');
    await form.getByRole('button', { name: 'Set label' }).click();
    await expect(page.getByRole('alert').filter({ hasText: 'The lab kept its labels' })).toContainText('Not a boolean');
    await expect(finding).toBeVisible();
    await attachScreenshot(page, testInfo, 'edit-refused');

    await form.getByLabel('Label value').fill('true');
    await form.getByRole('button', { name: 'Set label' }).click();
    await expect(finding).toHaveCount(0);
    await expect(page.getByRole('region', { name: 'Sticky cookie' })).toContainText('generated by Traefik');

    await page.getByRole('button', { name: 'Reset scenario' }).click();
    await expect(finding).toBeVisible();
    await expect(page.getByRole('region', { name: 'Sticky cookie' })).toContainText('No sticky cookie');
    await expect(page.getByRole('table', { name: 'Lab labels' })).not.toContainText(cookieLabel);
  });

  test('a label edit on anything but a lab service is refused', async ({ request }) => {
    const response = await request.patch('/api/lab/services/web/labels', {
      data: { set: { 'traefik.http.services.web.loadbalancer.sticky.cookie': 'true' } },
    });
    expect(response.status()).toBe(403);
    const body = (await response.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe('not-a-lab-service');
    expect(body.error.message).toContain('never changes a real cluster');
  });
});

test.describe('protocol fields travel in links', () => {
  const eioFields = (page: Page) => ({
    protocol: page.getByLabel('Protocol'),
    path: page.getByLabel('engine.io path'),
    version: page.getByLabel('EIO version'),
    upgrade: page.getByRole('checkbox', { name: 'End each session with a WebSocket upgrade' }),
    appSession: page.getByLabel('App session cookie'),
  });

  test('a Probe page URL with engine.io fields fills them in, and the report of that run repeats it with all of them', async ({ page, request }) => {
    const topology = (await (await request.get('/api/topology')).json()) as { sources: { lab: { balancer: { address: string; port: number } } } };
    const { address, port } = topology.sources.lab.balancer;
    const host = 'sticky-ok.lab.test';
    const query = new URLSearchParams({
      target: `http://${host}:${port}/`,
      resolve: `${host}:${port}:${address}`,
      requests: '12',
      interval: '0',
      protocol: 'engineio',
      'eio-path': '/socket.io/',
      'eio-version': '4',
      upgrade: '0',
      'app-session': 'off',
    });
    await page.goto(`/probes?${query}`);
    const expectFilled = async () => {
      const f = eioFields(page);
      await expect(page.getByLabel('Target URL')).toHaveValue(`http://${host}:${port}/`);
      await expect(page.getByLabel('Requests')).toHaveValue('12');
      await expect(f.protocol).toHaveValue('engineio');
      await expect(f.path).toHaveValue('/socket.io/');
      await expect(f.version).toHaveValue('4');
      await expect(f.upgrade).not.toBeChecked();
      await expect(f.appSession).toHaveValue('off');
    };
    await expectFilled();

    await page.getByRole('button', { name: 'Start' }).click();
    await expect(page.getByRole('progressbar', { name: 'Probe progress' })).toHaveAttribute('aria-valuenow', '12', { timeout: 30_000 });
    await expect(page.getByRole('region', { name: 'Verdict' })).toContainText('PASS');
    await expect(page.getByRole('status', { name: 'Report saving' })).toContainText('12 records saved');
    await page.getByRole('link', { name: 'Open report' }).click();
    const settings = page.getByRole('region', { name: 'Probe settings' });
    await expect(settings).toContainText(/protocol\s*engineio/);
    await expect(settings).toContainText('path /socket.io/, EIO 4, namespace /, upgrade no');
    await expect(settings).toContainText(/app session cookie\s*off/);

    await page.getByRole('link', { name: 'Run this probe again' }).click();
    await expect(page).toHaveURL(/\/probes\?/);
    await expectFilled();
    await expect(page.getByLabel('Interval (ms)')).toHaveValue('0');
  });

  test('split-routers: "Probe socket.io" on its service page runs an engine.io probe, which loses the session', async ({ page }) => {
    await openService(page, 'split-routers');
    await page.getByRole('link', { name: 'Probe socket.io' }).click();
    await expect(eioFields(page).protocol).toHaveValue('engineio');
    await expect(eioFields(page).path).toHaveValue('/socket.io/');
    await page.getByLabel('Requests').fill('20');
    await page.getByLabel('Interval (ms)').fill('0');
    await page.getByRole('button', { name: 'Start' }).click();
    await expect(page.getByRole('progressbar', { name: 'Probe progress' })).toHaveAttribute('aria-valuenow', '20', { timeout: 30_000 });
    const verdict = page.getByRole('region', { name: 'Verdict' });
    await expect(verdict).toContainText('FAIL');
    await expect(verdict).toContainText('Session ID unknown');
  });
});
