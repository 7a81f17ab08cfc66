import { describe, expect, it } from 'vitest';
import { ConfirmationBook, type ExperimentIntent } from './confirm';

const intent: ExperimentIntent = { action: 'kill-task', service: 'web-sticky', taskId: 'abc123' };

function book(ttlMs = 1000, max?: number) {
  let now = 0;
  let n = 0;
  const b = new ConfirmationBook({ ttlMs, max, now: () => now, newToken: () => `token-${++n}` });
  return { b, advance: (ms: number) => (now += ms) };
}

describe('ConfirmationBook', () => {
  it('lets a previewed action run once with its token', () => {
    const { b } = book();
    const { token, expiresAt } = b.issue(intent);
    expect(expiresAt).toBe(1000);
    expect(b.redeem(token, intent)).toEqual({ ok: true });
    expect(b.redeem(token, intent)).toMatchObject({ ok: false, reason: expect.stringMatching(/unknown or already used/) });
  });

  it('refuses a confirmation without a preview', () => {
    expect(book().b.redeem('made-up', intent)).toMatchObject({ ok: false, reason: expect.stringMatching(/ask for a new preview/) });
  });

  it('refuses a token used for another action, service or task, and burns it', () => {
    for (const other of [{ action: 'restart' as const }, { service: 'web-plain' }, { taskId: 'zzz999' }]) {
      const { b } = book();
      const { token } = b.issue(intent);
      const r = b.redeem(token, { ...intent, ...other });
      expect(r).toMatchObject({ ok: false, reason: expect.stringMatching(/^this confirmation was for kill-task on task abc123 of "web-sticky", not /) });
      expect(b.redeem(token, intent).ok).toBe(false);
    }
  });

  it('refuses a token after it expires', () => {
    const { b, advance } = book(1000);
    const { token } = b.issue(intent);
    advance(1000);
    expect(b.redeem(token, intent)).toMatchObject({ ok: false, reason: expect.stringMatching(/expired/) });
  });

  it('keeps a bounded number of open previews, dropping the oldest', () => {
    const { b } = book(60_000, 2);
    const first = b.issue(intent).token;
    const second = b.issue(intent).token;
    const third = b.issue(intent).token;
    expect(b.redeem(first, intent).ok).toBe(false);
    expect(b.redeem(second, intent).ok).toBe(true);
    expect(b.redeem(third, intent).ok).toBe(true);
  });

  it('hands out unguessable tokens by default', () => {
    const b = new ConfirmationBook();
    const tokens = new Set(Array.from({ length: 50 }, () => b.issue(intent).token));
    expect(tokens.size).toBe(50);
    for (const t of tokens) expect(t).toMatch(/^[A-Za-z0-9_-]{32}$/);
  });
});
