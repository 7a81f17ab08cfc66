// What the experiment journal owes on every database backend, as one vitest suite: the confirmations and the log are
// shared by every dashboard process on one database. journal-sqlite.test.ts runs it on SQLite files,
// e2e/integration/report-store-postgres.test.ts on a real PostgreSQL.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { KyselyReportStore } from '@/lib/reports/kysely-store';
import { ConfirmationBook, type ConfirmationBookOptions, type ExperimentIntent } from '../confirm';
import { DatabaseExperimentLog } from '../database-log';
import type { NewLogEntry } from '../log';

/** One empty database for one test; each `open` is another process's connection to it. */
export type JournalHarness = { open(): Promise<KyselyReportStore>; dispose(): Promise<void> };

const intent: ExperimentIntent = { action: 'kill-task', service: 'web-sticky', taskId: 'abc123' };

const entry = (message: string, over: Partial<NewLogEntry> = {}): NewLogEntry => ({
  who: 'dashboard 127.0.0.1 (test)',
  step: 'confirm',
  action: 'kill-task',
  service: 'web-sticky',
  taskId: 'abc123',
  replica: 'app-1',
  result: 'ok',
  message,
  ...over,
});

export function describeExperimentJournalContract(backend: string, createHarness: () => Promise<JournalHarness>): void {
  describe(`experiment journal on ${backend}`, () => {
    let harness: JournalHarness;
    let stores: KyselyReportStore[];
    let now: number;
    let tokens: number;

    beforeEach(async () => {
      harness = await createHarness();
      stores = [];
      now = 1_700_000_000_000;
      tokens = 0;
    });

    afterEach(async () => {
      for (const s of stores) await s.close();
      await harness.dispose();
    });

    /** A dashboard process: its own connection, the shared clock. */
    async function process(options: ConfirmationBookOptions = {}) {
      const store = await harness.open();
      stores.push(store);
      const book = new ConfirmationBook(store.database, { now: () => now, newToken: () => `token-${++tokens}-${'x'.repeat(20)}`, ...options });
      const log = new DatabaseExperimentLog(store.database, { now: () => now, write: () => {} });
      return { book, log, db: store.database };
    }

    it('lets a preview from one process be confirmed once through another', async () => {
      const [a, b] = [await process(), await process()];
      const { token, expiresAt } = await a.book.issue(intent);
      expect(expiresAt).toBe(now + 120_000);
      expect(await b.book.redeem(token, intent)).toEqual({ ok: true });
      expect(await a.book.redeem(token, intent)).toMatchObject({ ok: false, reason: expect.stringMatching(/unknown or already used/) });
      expect(await b.book.redeem('made-up-token-never-issued', intent)).toMatchObject({ ok: false, reason: expect.stringMatching(/ask for a new preview/) });
    });

    it('gives a token to exactly one of several processes confirming it at once', async () => {
      const processes = [await process(), await process(), await process(), await process()];
      const { token } = await processes[0]!.book.issue(intent);
      const results = await Promise.all(processes.map((p) => p.book.redeem(token, intent)));
      expect(results.filter((r) => r.ok)).toHaveLength(1);
    });

    it('refuses and burns a token used for another action, service or task', async () => {
      const { book } = await process();
      for (const other of [{ action: 'restart' as const }, { service: 'web-plain' }, { taskId: 'zzz999' }]) {
        const { token } = await book.issue(intent);
        const r = await book.redeem(token, { ...intent, ...other });
        expect(r).toMatchObject({ ok: false, reason: expect.stringMatching(/^this confirmation was for kill-task on task abc123 of "web-sticky", not /) });
        expect((await book.redeem(token, intent)).ok).toBe(false);
      }
    });

    it('refuses a token once it expired, and forgets expired ones', async () => {
      const { book, db } = await process({ ttlMs: 1000 });
      const { token } = await book.issue(intent);
      now += 1000;
      expect(await book.redeem(token, intent)).toMatchObject({ ok: false, reason: expect.stringMatching(/expired/) });
      const stale = await book.issue(intent);
      now += 5000;
      await book.issue(intent);
      const rows = await db.selectFrom('experiment_confirmations').select('expires_at').execute();
      expect(rows.map((r) => Number(r.expires_at))).toEqual([now + 1000]);
      expect((await book.redeem(stale.token, intent)).ok).toBe(false);
    });

    it('keeps a bounded number of open previews, dropping the oldest, and stores no token', async () => {
      const { book, db } = await process({ max: 2 });
      const first = (await book.issue(intent)).token;
      now += 1;
      const second = (await book.issue(intent)).token;
      now += 1;
      const third = (await book.issue(intent)).token;
      const stored = JSON.stringify(await db.selectFrom('experiment_confirmations').selectAll().execute());
      for (const token of [first, second, third]) expect(stored).not.toContain(token);
      expect((await book.redeem(first, intent)).ok).toBe(false);
      expect((await book.redeem(second, intent)).ok).toBe(true);
      expect((await book.redeem(third, intent)).ok).toBe(true);
    });

    it('hands out unguessable tokens by default', async () => {
      const store = await harness.open();
      stores.push(store);
      const book = new ConfirmationBook(store.database);
      const issued = new Set<string>();
      for (let i = 0; i < 20; i++) issued.add((await book.issue(intent)).token);
      expect(issued.size).toBe(20);
      for (const t of issued) expect(t).toMatch(/^[A-Za-z0-9_-]{32}$/);
    });

    it('keeps one log for every process, newest first, across a restart', async () => {
      const [a, b] = [await process(), await process()];
      const first = await a.log.append(entry('previewed', { step: 'preview' }));
      now += 10;
      await b.log.append(entry('killed the container', { replica: null }));
      now += 10;
      await a.log.append(entry('refused: experiments are off', { step: 'request', action: null, service: null, taskId: null, replica: null, result: 'refused' }));
      const listed = await b.log.list();
      expect(listed.map((e) => e.message)).toEqual(['refused: experiments are off', 'killed the container', 'previewed']);
      expect(listed[2]).toEqual(first);
      expect(listed[0]).toMatchObject({ step: 'request', action: null, result: 'refused', at: new Date(now).toISOString() });
      expect(await a.log.list(1)).toHaveLength(1);

      for (const s of stores.splice(0)) await s.close();
      const restarted = await process();
      expect((await restarted.log.list()).map((e) => e.id)).toEqual(listed.map((e) => e.id));
    });
  });
}
