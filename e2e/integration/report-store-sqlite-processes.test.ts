// Several dashboard processes opening one new SQLite file at the same moment (a first start, or an upgrade that brings
// a migration): each must open it, and each migration must be applied exactly once.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { MIGRATION_NAMES, MIGRATION_TABLE } from '@/lib/reports/migrations';

const root = fileURLToPath(new URL('../..', import.meta.url));
const opener = path.join(root, 'lib', 'reports', 'test', 'open-on-signal.ts');
const dir = mkdtempSync(path.join(os.tmpdir(), 'stickyscope-sqlite-processes-'));
const PROCESSES = 5;
const ROUNDS = 3;

afterAll(() => rmSync(dir, { recursive: true, force: true }));

function startOpener(file: string): { child: ChildProcess; ready: Promise<void>; done: Promise<{ code: number | null; stderr: string }> } {
  const child = spawn(process.execPath, ['--conditions=react-server', '--import', 'tsx', opener, file], { cwd: root, stdio: ['pipe', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const ready = new Promise<void>((resolve, reject) => {
    child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
      if (stdout.includes('ready\n')) resolve();
    });
    child.once('exit', (code) => reject(new Error(`opener exited with ${code} before it was ready: ${stderr}`)));
  });
  ready.catch(() => undefined);
  const done = new Promise<{ code: number | null; stderr: string }>((resolve) => child.once('exit', (code) => resolve({ code, stderr })));
  return { child, ready, done };
}

describe('SQLite report database opened by several processes at once', () => {
  it('is migrated once, and every process opens it', async () => {
    for (let round = 0; round < ROUNDS; round++) {
      const file = path.join(dir, `round-${round}.db`);
      const openers = Array.from({ length: PROCESSES }, () => startOpener(file));
      await Promise.all(openers.map((o) => o.ready));
      // Released together: every process reads the migration state before any has written.
      for (const o of openers) o.child.stdin?.end('go\n');
      const results = await Promise.all(openers.map((o) => o.done));
      expect(results.filter((r) => r.code !== 0).map((r) => r.stderr)).toEqual([]);
      const db = new Database(file, { readonly: true });
      const applied = db.prepare(`SELECT name FROM ${MIGRATION_TABLE} ORDER BY name`).all();
      db.close();
      expect(applied).toEqual(MIGRATION_NAMES.map((name) => ({ name })));
    }
  }, 120_000);
});
