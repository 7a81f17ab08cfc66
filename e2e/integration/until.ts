// Waiting for a condition in tests and their helpers, with a bound; plain Node, so vitest and Playwright share it.

/**
 * Polls `check` every `intervalMs` until it holds; fails naming `what` after `timeoutMs`. An error thrown by `check`
 * ends the wait at once (a process that exited, say): a condition that is merely not met yet returns false.
 */
export async function until(what: string, check: () => Promise<boolean>, timeoutMs: number, intervalMs = 100): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}
