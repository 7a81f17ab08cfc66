// The Shiny lab's app as real Swarm tasks: the lab's `shiny` service (scripts/lab/swarm.mjs) runs the host's R in the
// busybox image through read-only bind mounts, one loopback port per task slot. Each task must serve the app as its
// own process, and behind real HAProxy with cookie insert every fresh Chromium context must work, as with the
// Shiny lab's own R processes (shiny-truth.test.ts).
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { describeTruth, launchChromium, observeShinyApp } from '../shiny-truth';
import { startSwarmHaproxy, type SwarmHaproxy } from './swarm-haproxy';

const SERVICE = 'shiny';
/** Enough for the cookie to have pinned contexts to both tasks. */
const CONTEXTS = 4;

describe('Shiny as Swarm tasks of the real Swarm lab', () => {
  const service = inject('labServices').find((s) => s.name === SERVICE);
  let dir: string;
  let haproxy: SwarmHaproxy | undefined;
  let browser: Browser | undefined;

  beforeAll(async () => {
    if (!service || service.network !== 'host' || service.urls.length < 2) throw new Error(`the lab has no host-network ${SERVICE} service with two tasks`);
    dir = mkdtempSync(path.join(os.tmpdir(), 'stickyscope-shiny-swarm-'));
    haproxy = await startSwarmHaproxy(service, dir);
    browser = await launchChromium();
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await haproxy?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('each task serves the Shiny app as its own R process, named by its slot hostname', async () => {
    for (const [i, url] of (service?.urls ?? []).entries()) {
      const response = await fetch(url, { signal: AbortSignal.timeout(5000) });
      const body = await response.text();
      expect(response.status, url).toBe(200);
      expect(body, url).toContain('shiny-javascript[');
      expect(body, url).toContain(`<meta name="shiny-lab-process" content="${service?.hostnames[i]}"/>`);
    }
  });

  it('behind HAProxy cookie insert the DT table, the download and the upload work in every fresh context', { timeout: 90_000 }, async () => {
    const truths = await observeShinyApp(browser!, haproxy!.frontend, { contexts: CONTEXTS });
    const report = describeTruth(truths);
    expect(truths.filter((t) => !t.works).map((t) => t.context), report).toEqual([]);
    for (const t of truths) expect(t.sessionProcess, report).toBe(t.pageProcess);
    expect(new Set(truths.map((t) => t.sessionProcess)), report).toEqual(new Set(service?.hostnames));
  });
});
