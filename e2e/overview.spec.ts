import { expect, test } from '@playwright/test';

// The app runs against the real Swarm lab (scripts/e2e-server.mjs) with a Traefik API URL that refuses
// connections, so every page must render Swarm state and explain the Traefik failure inline.

test('the topology API reports the lab as Docker sees it, and the Traefik failure per source', async ({ request }) => {
  const response = await request.get('/api/topology');
  expect(response.ok()).toBe(true);
  const topology = await response.json();
  expect(topology.sources.docker.status).toBe('ok');
  expect(topology.sources.traefik).toMatchObject({ status: 'error', origin: 'labels' });
  const byName = new Map(topology.services.map((s: { name: string }) => [s.name, s]));
  expect(byName.get('web-sticky')).toMatchObject({ replicas: { desired: 3, running: 3 }, endpointMode: 'vip' });
  expect(byName.get('web-dnsrr')).toMatchObject({ replicas: { desired: 2, running: 2 }, endpointMode: 'dnsrr' });
  expect(byName.get('web-overlay')).toMatchObject({
    sticky: { cookieName: 'srv_id', secure: true, httpOnly: true },
    traefikOrigin: 'labels',
  });
});

test('overview lists the lab services with replica counts, sticky state and findings', async ({ page }, testInfo) => {
  await page.goto('/');
  await expect(page.getByRole('heading', { name: 'Overview' })).toBeVisible();
  await expect(page.getByLabel('Docker Swarm source')).toContainText('ok');
  const traefik = page.getByRole('alert', { name: 'Traefik source' });
  await expect(traefik).toContainText('error');
  await expect(traefik).toContainText('service labels');

  const overlay = page.locator('tr[data-service="web-overlay"]');
  await expect(overlay).toContainText('2/2');
  await expect(overlay).toContainText('srv_id');
  await expect(overlay).toContainText('error');
  const sticky = page.locator('tr[data-service="web-sticky"]');
  await expect(sticky).toContainText('3/3');
  await expect(sticky).toContainText('skipped by Traefik');
  await expect(page.getByLabel('Findings by severity')).toBeVisible();
  await expect(page.getByText(/updated (just now|\d+ s ago)/)).toBeVisible();
  await page.screenshot({ path: testInfo.outputPath('overview.png'), fullPage: true });
});

test('service page shows tasks, routers, sticky settings, servers and findings', async ({ page }, testInfo) => {
  await page.goto('/');
  await page.locator('tr[data-service="web-overlay"]').getByRole('link', { name: 'web-overlay' }).click();
  await expect(page.getByRole('heading', { name: 'web-overlay' })).toBeVisible();

  const tasks = page.getByRole('table', { name: 'Tasks', exact: true });
  await expect(tasks.locator('tbody tr')).toHaveCount(2);
  await expect(tasks).toContainText('running');
  await expect(tasks).toContainText('app-1');
  await expect(page.getByRole('table', { name: 'Routers', exact: true })).toContainText('web-overlay.lab.localhost');
  await expect(page.getByRole('region', { name: 'Sticky cookie' })).toContainText('srv_id');
  const servers = page.getByRole('table', { name: 'Traefik servers and the Swarm tasks behind them' });
  await expect(servers.locator('tbody tr')).toHaveCount(2);
  await expect(servers).toContainText(/http:\/\/10\.\d+\.\d+\.\d+:80/);
  await expect(servers).toContainText('slot 1');

  const finding = page.getByRole('article', { name: 'Secure sticky cookie served over plain http' });
  await expect(finding).toBeVisible();
  await expect(finding).toContainText('docker service update --label-add');
  await page.screenshot({ path: testInfo.outputPath('service.png'), fullPage: true });
});

test('an unknown service id gets a not-found page', async ({ page }) => {
  await page.goto('/services/does-not-exist');
  await expect(page.getByRole('heading', { name: 'No such service' })).toBeVisible();
});
