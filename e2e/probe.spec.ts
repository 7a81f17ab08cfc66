import { expect, test } from '@playwright/test';
import { readLabInfo } from './lab-info';

// Probe runs from the browser through the relay against the Swarm lab's directly published replicas
// (127.0.0.1:18101-18103 for web-sticky; no balancer in front, so one replica URL must always PASS).
// scripts/e2e-server.mjs allows 127.0.0.1 through STICKYSCOPE_ALLOWED_TARGETS.

test('"Probe this service" prefills the router host (http, no TLS) and the sticky cookie name', async ({ page }) => {
  await page.goto('/');
  await page.locator('tr[data-service="web-overlay"]').getByRole('link', { name: 'web-overlay' }).click();
  await expect(page.getByRole('heading', { name: 'web-overlay' })).toBeVisible();
  await page.getByRole('link', { name: 'Probe this service' }).click();
  await expect(page.getByRole('heading', { name: 'Probe', exact: true })).toBeVisible();
  await expect(page.getByLabel('Target URL')).toHaveValue('http://web-overlay.lab.localhost/');
  await expect(page.getByLabel('Balancer cookie')).toHaveValue('srv_id');
  await expect(page.getByLabel('Service (task names)')).toHaveValue(/.+/);
});

test('from the service page, a run against one replica shows progress, then PASS and the charts', async ({ page }, testInfo) => {
  // The lab's replicas are busybox CGI (a fork per request): 200 requests take 15-50 s on a loaded machine.
  test.setTimeout(120_000);
  await page.goto('/');
  await expect(page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Probe' })).toBeVisible();
  await page.locator('tr[data-service="web-sticky"]').getByRole('link', { name: 'web-sticky' }).click();
  await expect(page.getByRole('heading', { name: 'web-sticky' })).toBeVisible();
  // Traefik has no router for web-sticky (host network), so there is no host to prefill; the service is kept.
  await page.getByRole('link', { name: 'Probe this service' }).click();
  await expect(page.getByRole('heading', { name: 'Probe', exact: true })).toBeVisible();
  const target = page.getByLabel('Target URL');
  await expect(target).toHaveValue('');

  // No balancer in front of these replicas: one replica URL, so every answer must come from app-1.
  await target.fill('http://127.0.0.1:18101/');
  await page.getByLabel('Requests').fill('200');
  await page.getByLabel('Interval (ms)').fill('5');
  await page.getByRole('button', { name: 'Start' }).click();

  const progress = page.getByRole('progressbar', { name: 'Probe progress' });
  await expect(progress).toBeVisible();
  await expect(page.getByRole('button', { name: 'Stop' })).toBeEnabled();
  // Moving: some but not all requests done while it runs, then all of them.
  await expect
    .poll(async () => Number(await progress.getAttribute('aria-valuenow')), { intervals: [50, 100, 200] })
    .toBeGreaterThan(0);
  await expect(progress).toHaveAttribute('aria-valuenow', '200', { timeout: 90_000 });
  await expect(progress).toHaveAttribute('aria-valuemax', '200');

  const verdict = page.getByRole('region', { name: 'Verdict' });
  await expect(verdict).toContainText('PASS');
  await expect(verdict).toContainText('web-sticky.1');
  await expect(page.getByRole('button', { name: 'Start' })).toBeEnabled();

  await expect(page.getByRole('figure', { name: 'Replica lane timeline' })).toBeVisible();
  await expect(page.getByRole('figure', { name: 'Replica share over time' })).toBeVisible();
  await expect(page.getByRole('figure', { name: 'Distribution by replica' })).toBeVisible();
  await expect(page.getByRole('figure', { name: 'Latency by replica' })).toBeVisible();
  const replicas = page.getByRole('table', { name: 'Replicas' });
  await expect(replicas).toContainText('app-1');
  await expect(replicas).toContainText('web-sticky.1');
  await expect(replicas).toContainText('200');
  await expect(page.getByRole('region', { name: 'Cookies' })).toContainText('No cookie was set');

  await page.screenshot({ path: testInfo.outputPath('probe-pass.png'), fullPage: true });
  await testInfo.attach('probe-pass', { path: testInfo.outputPath('probe-pass.png'), contentType: 'image/png' });
});

test('a host outside the allowlist is refused with a message naming the setting', async ({ page }, testInfo) => {
  await page.goto('/probes?target=http://not-allowed.test/');
  await expect(page.getByLabel('Target URL')).toHaveValue('http://not-allowed.test/');
  await page.getByRole('button', { name: 'Start' }).click();
  const refused = page.getByRole('alert', { name: 'Run refused' });
  await expect(refused).toContainText('The relay refused this target');
  await expect(refused).toContainText('STICKYSCOPE_ALLOWED_TARGETS');
  // The note above the refusal must not call the same target allowed.
  await expect(page.getByLabel('How requests are sent')).not.toContainText('an allowed target');
  await expect(page.getByRole('button', { name: 'Start' })).toBeEnabled();
  await page.screenshot({ path: testInfo.outputPath('probe-refused.png'), fullPage: true });
});

test('invalid input is explained inline, and a refused port per request', async ({ page }, testInfo) => {
  await page.goto('/probes');
  await page.getByLabel('Target URL').fill('not a url');
  await page.getByLabel('Requests').fill('0');
  await page.getByRole('button', { name: 'Start' }).click();
  await expect(page.getByText('is not an absolute URL')).toBeVisible();
  await expect(page.getByLabel('Target URL')).toHaveAttribute('aria-invalid', 'true');
  await expect(page.getByRole('progressbar')).toHaveCount(0);

  // Nothing listens on 18109 (the lab uses 18101-18103).
  await page.getByLabel('Target URL').fill('http://127.0.0.1:18109/');
  await page.getByLabel('Requests').fill('5');
  await expect(page.getByText('is not an absolute URL')).toHaveCount(0);
  await page.getByRole('button', { name: 'Start' }).click();
  const errors = page.getByRole('alert', { name: 'Request errors' });
  await expect(errors).toContainText('5 of 5 requests failed');
  await expect(errors).toContainText('refused');
  await expect(errors).toContainText('nothing listens on that address');
  await page.screenshot({ path: testInfo.outputPath('probe-refused-port.png'), fullPage: true });
});

// The real HAProxy lab (scripts/lab/haproxy.mjs, started by scripts/e2e-server.mjs): three replica processes behind
// a round-robin frontend and a cookie-insert (`SRV`) frontend, on loopback.
test.describe('through the real HAProxy lab', () => {
  test('round robin FAILs at request 2 with the "no balancer cookie" diagnosis', async ({ page }, testInfo) => {
    const { haproxy } = readLabInfo();
    await page.goto('/probes');
    await page.getByLabel('Target URL').fill(haproxy.urls.roundRobin);
    await page.getByLabel('Requests').fill('30');
    await page.getByLabel('Interval (ms)').fill('0');
    await page.getByRole('button', { name: 'Start' }).click();

    const progress = page.getByRole('progressbar', { name: 'Probe progress' });
    await expect(progress).toHaveAttribute('aria-valuenow', '30');
    await expect(page.getByRole('button', { name: 'Start' })).toBeEnabled();

    const verdict = page.getByRole('region', { name: 'Verdict' });
    await expect(verdict).toContainText('FAIL');
    await expect(verdict).toContainText('Not sticky: request 2 was answered by');
    await expect(verdict).toContainText('#2');
    const diagnosis = verdict.getByRole('list', { name: 'Diagnosis' });
    await expect(diagnosis).toContainText('no cookie was set by the balancer (first break at request 2)');
    await expect(diagnosis).toContainText('no-balancer-cookie');
    // Round robin over three replicas: every one of them answered.
    const replicas = page.getByRole('table', { name: 'Replicas' });
    for (const name of haproxy.replicas) await expect(replicas).toContainText(name);

    await page.screenshot({ path: testInfo.outputPath('probe-fail-round-robin.png'), fullPage: true });
    await testInfo.attach('probe-fail-round-robin', { path: testInfo.outputPath('probe-fail-round-robin.png'), contentType: 'image/png' });
  });

  test('the cookie-insert frontend PASSes on one replica, pinned by its cookie', async ({ page }) => {
    const { haproxy } = readLabInfo();
    await page.goto('/probes');
    await page.getByLabel('Target URL').fill(haproxy.urls.sticky);
    await page.getByLabel('Requests').fill('30');
    await page.getByLabel('Interval (ms)').fill('0');
    await page.getByRole('button', { name: 'Start' }).click();

    await expect(page.getByRole('progressbar', { name: 'Probe progress' })).toHaveAttribute('aria-valuenow', '30');
    await expect(page.getByRole('button', { name: 'Start' })).toBeEnabled();
    const verdict = page.getByRole('region', { name: 'Verdict' });
    await expect(verdict).toContainText('PASS');
    await expect(verdict).toContainText('Sticky: all 30 identified responses came from');
    await expect(verdict).not.toContainText('no-balancer-cookie');
    const cookies = page.getByRole('table', { name: 'Cookies' });
    await expect(cookies).toContainText(haproxy.cookieName);
    await expect(cookies).toContainText('balancer');
  });

  test('Stop ends a long run before its end and keeps its records; the charts stay bounded', async ({ page }) => {
    const { haproxy } = readLabInfo();
    const q = new URLSearchParams({ target: haproxy.urls.sticky, requests: '10000', interval: '0' });
    await page.goto(`/probes?${q}`);
    await page.getByRole('button', { name: 'Start' }).click();
    const progress = page.getByRole('progressbar', { name: 'Probe progress' });
    await expect.poll(async () => Number(await progress.getAttribute('aria-valuenow')), { intervals: [100, 250] }).toBeGreaterThan(100);
    // The lane chart is drawn while the run goes on.
    await expect(page.locator('figure[aria-label="Replica lane timeline"] [data-mark="lane"]')).toHaveCount(1);

    const clickedAt = Date.now();
    await page.getByRole('button', { name: 'Stop' }).click();
    await expect(page.getByText('stopped by you; records kept')).toBeVisible();
    const stopMs = Date.now() - clickedAt;
    await expect(page.getByRole('button', { name: 'Start' })).toBeEnabled();
    const kept = Number(await progress.getAttribute('aria-valuenow'));
    expect(kept).toBeGreaterThan(100);
    expect(kept).toBeLessThan(10_000);
    await expect(page.getByText(`${kept.toLocaleString('en')} records · relay`)).toBeVisible();
    const verdict = page.getByRole('region', { name: 'Verdict' });
    await expect(verdict).toContainText('PASS');
    await expect(verdict).toContainText(`Sticky: all ${kept.toLocaleString('en')} identified responses`);
    // A sticky run is one segment on one lane, whatever its length; the other charts are drawn too.
    await expect(page.locator('figure[aria-label="Replica lane timeline"] [data-mark="lane"]')).toHaveCount(1);
    await expect(page.getByRole('figure', { name: 'Replica share over time' })).toBeVisible();
    await expect(page.getByRole('figure', { name: 'Latency by replica' })).toBeVisible();
    expect(Number(await progress.getAttribute('aria-valuenow'))).toBe(kept);
    console.log(`stop: answered in ${stopMs} ms, ${kept} records kept`);
  });
});
