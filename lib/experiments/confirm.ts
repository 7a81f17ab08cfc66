import 'server-only';
// Two-step confirmation: a preview hands out a token bound to exactly one action on one task; only that token, once
// and soon, lets the action run. A single stray POST therefore cannot act.
import { randomBytes } from 'node:crypto';
import type { ExperimentAction } from './types';

export type ExperimentIntent = { action: ExperimentAction; service: string; taskId: string };

export type Redemption = { ok: true } | { ok: false; reason: string };

type Issued = { intent: ExperimentIntent; expiresAt: number };

export type ConfirmationBookOptions = {
  /** How long a preview stays confirmable. Default 2 minutes. */
  ttlMs?: number;
  /** Tokens kept at most; the oldest go first. */
  max?: number;
  now?: () => number;
  newToken?: () => string;
};

const describe = (i: ExperimentIntent) => `${i.action} on task ${i.taskId} of "${i.service}"`;

export class ConfirmationBook {
  private readonly issued = new Map<string, Issued>();
  private readonly ttlMs: number;
  private readonly max: number;
  private readonly now: () => number;
  private readonly newToken: () => string;

  constructor(options: ConfirmationBookOptions = {}) {
    this.ttlMs = options.ttlMs ?? 120_000;
    this.max = options.max ?? 200;
    this.now = options.now ?? Date.now;
    this.newToken = options.newToken ?? (() => randomBytes(24).toString('base64url'));
  }

  issue(intent: ExperimentIntent): { token: string; expiresAt: number } {
    const now = this.now();
    for (const [token, entry] of this.issued) if (entry.expiresAt <= now) this.issued.delete(token);
    while (this.issued.size >= this.max) {
      const oldest = this.issued.keys().next().value;
      if (oldest === undefined) break;
      this.issued.delete(oldest);
    }
    const token = this.newToken();
    const expiresAt = now + this.ttlMs;
    this.issued.set(token, { intent: { ...intent }, expiresAt });
    return { token, expiresAt };
  }

  /** Uses the token up, whatever the outcome: a confirmation that does not match is not retried with the same token. */
  redeem(token: string, intent: ExperimentIntent): Redemption {
    const entry = this.issued.get(token);
    if (!entry) return { ok: false, reason: 'this confirmation is unknown or already used: ask for a new preview' };
    this.issued.delete(token);
    if (entry.expiresAt <= this.now()) return { ok: false, reason: 'this confirmation has expired: ask for a new preview' };
    const a = entry.intent;
    if (a.action !== intent.action || a.service !== intent.service || a.taskId !== intent.taskId) {
      return { ok: false, reason: `this confirmation was for ${describe(a)}, not ${describe(intent)}` };
    }
    return { ok: true };
  }
}
