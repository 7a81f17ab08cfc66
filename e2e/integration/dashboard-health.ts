// Waiting for a dashboard process the tests started (scripts/start.mjs, which builds first when needed).
import type { ChildProcess } from 'node:child_process';
import { vi } from 'vitest';

/** Resolves once `base` answers /api/health; rejects as soon as the process exits instead. */
export async function waitUntilHealthy(child: ChildProcess, base: string): Promise<void> {
  const exited = new Promise<never>((_, reject) => child.once('exit', (code) => reject(new Error(`the dashboard at ${base} exited with ${code} before answering`))));
  exited.catch(() => undefined);
  await Promise.race([
    exited,
    vi.waitFor(
      async () => {
        const response = await fetch(`${base}/api/health`);
        if (!response.ok) throw new Error(`health answered ${response.status}`);
      },
      { timeout: 120_000, interval: 200 },
    ),
  ]);
}
