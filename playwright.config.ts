import path from 'node:path';
import { defineConfig } from '@playwright/test';

// A port per run, so two runs on one machine do not collide; workers inherit it through the environment.
process.env.E2E_PORT ??= String(3100 + (process.pid % 800));
const port = Number(process.env.E2E_PORT);
// The same app with no cluster configured, showing the embedded demo lab, and its share listener.
const demoPort = port + 1000;
const demoSharePort = port + 2000;
// Where scripts/e2e-server.mjs writes the HAProxy lab's frontend URLs for the specs (e2e/lab-info.ts reads it).
process.env.STICKYSCOPE_E2E_LAB_FILE ??= path.resolve('test-results', `e2e-lab-${port}.json`);

export default defineConfig({
  testDir: 'e2e',
  testMatch: '*.spec.ts',
  outputDir: 'test-results/e2e',
  timeout: 60_000,
  expect: { timeout: 15_000 },
  fullyParallel: false,
  workers: 1,
  retries: process.env.CI ? 1 : 0,
  reporter: [['list'], ['json', { outputFile: process.env.PLAYWRIGHT_JSON_OUTPUT_NAME ?? 'test-results/e2e-report.json' }], ['html', { open: 'never', outputFolder: 'playwright-report' }]],
  projects: [
    { name: 'swarm-lab', testIgnore: ['demo-lab*.spec.ts', 'reports*.spec.ts', 'page-security.spec.ts'], use: { baseURL: `http://127.0.0.1:${port}` } },
    { name: 'demo-lab', testMatch: ['demo-lab*.spec.ts', 'reports*.spec.ts', 'page-security.spec.ts'], use: { baseURL: `http://127.0.0.1:${demoPort}` } },
  ],
  use: {
    browserName: 'chromium',
    launchOptions: {
      executablePath: '/usr/bin/chromium',
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    },
    trace: 'on-first-retry',
    screenshot: 'only-on-failure',
  },
  webServer: [
    {
      // Started first: it builds the app when needed, so the second server finds the build ready.
      command: 'node scripts/start.mjs',
      url: `http://127.0.0.1:${demoPort}/api/health`,
      env: {
        PORT: String(demoPort),
        STICKYSCOPE_SHARE_PORT: String(demoSharePort),
        STICKYSCOPE_LAB: '1',
        STICKYSCOPE_DOCKER: 'off',
        DOCKER_HOST: '',
        TRAEFIK_API_URL: '',
        // Reports of this run, apart from the app's default database.
        STICKYSCOPE_DB_PATH: path.resolve('test-results', `e2e-reports-${demoPort}.db`),
      },
      timeout: 600_000,
      reuseExistingServer: false,
      stdout: 'pipe',
      stderr: 'pipe',
      gracefulShutdown: { signal: 'SIGTERM', timeout: 10_000 },
    },
    {
      // Starts the real Swarm and HAProxy labs and the built app against them.
      command: 'node scripts/e2e-server.mjs',
      url: `http://127.0.0.1:${port}/api/health`,
      env: { PORT: String(port), STICKYSCOPE_E2E_LAB_FILE: process.env.STICKYSCOPE_E2E_LAB_FILE },
      timeout: 600_000,
      reuseExistingServer: false,
      stdout: 'pipe',
      stderr: 'pipe',
      gracefulShutdown: { signal: 'SIGTERM', timeout: 30_000 },
    },
  ],
});
