import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it, vi } from 'vitest';
import { PROBE_LIMITS } from '@/lib/probe/spec';
import { DEFAULT_RUN_LEASE_MS, formatWriter, parseWriter, processIsAlive } from './lease';
import { DEFAULT_RETRY_DELAYS_MS } from './writer';

describe('run lease', () => {
  it('outlasts the longest silence of a live run: the slowest request, then every retry of its batch', () => {
    const slowestRecordMs = PROBE_LIMITS.maxIntervalMs + PROBE_LIMITS.maxTimeoutMs;
    const retriesMs = DEFAULT_RETRY_DELAYS_MS.reduce((a, b) => a + b, 0);
    expect(DEFAULT_RUN_LEASE_MS).toBeGreaterThan(slowestRecordMs + retriesMs + 60_000);
  });
});

describe('run writers', () => {
  it('round-trips host/pid, host names with slashes included', () => {
    expect(parseWriter(formatWriter({ host: 'dash-1', pid: 4242 }))).toEqual({ host: 'dash-1', pid: 4242 });
    expect(parseWriter('a/b/17')).toEqual({ host: 'a/b', pid: 17 });
    expect(parseWriter('no-pid')).toBeNull();
  });

  it('tells a running process from one that exited, zombie or reaped', async () => {
    expect(processIsAlive(process.pid)).toBe(true);
    const child = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
    const pid = child.pid!;
    expect(processIsAlive(pid)).toBe(true);
    // Killed but not yet waited for by this parent: a zombie until the 'exit' handler runs.
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGKILL');
    await exited;
    expect(processIsAlive(pid)).toBe(false);
  });

  it.runIf(existsSync('/proc/self/stat'))('counts a zombie (exited, never reaped) as dead', async () => {
    // The child starts a grandchild that exits at once, then keeps its own event loop busy, so nothing reaps it.
    const parent = spawn(process.execPath, ['-e', "const c = require('child_process').spawn('true'); console.log(c.pid); const end = Date.now() + 30000; while (Date.now() < end);"], {
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    try {
      const pid = await new Promise<number>((resolve) => parent.stdout.once('data', (d: Buffer) => resolve(Number(String(d).trim()))));
      await vi.waitFor(() => expect(readFileSync(`/proc/${pid}/stat`, 'utf8')).toMatch(/\) Z /), { timeout: 10_000, interval: 10 });
      expect(processIsAlive(pid)).toBe(false);
    } finally {
      parent.kill('SIGKILL');
    }
  });
});
