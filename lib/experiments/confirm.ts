import 'server-only';
// Two-step confirmation: a preview hands out a token bound to exactly one action on one task; only that token, once
// and soon, lets the action run. A single stray POST therefore cannot act.
//
// Tokens live in the dashboard's database, so a confirmation may reach any dashboard process on it, and a token is
// used up by deleting its row: of two processes redeeming one token at once, exactly one gets it.
import { createHash, randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { ReportDatabase } from '@/lib/reports/db-schema';
import type { ExperimentAction } from './types';

export type ExperimentIntent = { action: ExperimentAction; service: string; taskId: string };

export type Redemption = { ok: true } | { ok: false; reason: string };

export type ConfirmationBookOptions = {
  /** How long a preview stays confirmable. Default 2 minutes. */
  ttlMs?: number;
  /** Open previews kept at most; the oldest go first. */
  max?: number;
  now?: () => number;
  newToken?: () => string;
};

const describe = (i: ExperimentIntent) => `${i.action} on task ${i.taskId} of "${i.service}"`;

/** Only this hash is stored: whoever reads the database cannot confirm a pending preview. */
function hashToken(token: string): Buffer {
  return createHash('sha256').update(token, 'utf8').digest();
}

function sameIntent(a: ExperimentIntent, b: ExperimentIntent): boolean {
  return a.action === b.action && a.service === b.service && a.taskId === b.taskId;
}

export class ConfirmationBook {
  private readonly ttlMs: number;
  private readonly max: number;
  private readonly now: () => number;
  private readonly newToken: () => string;

  constructor(
    private readonly db: Kysely<ReportDatabase>,
    options: ConfirmationBookOptions = {},
  ) {
    this.ttlMs = options.ttlMs ?? 120_000;
    this.max = options.max ?? 200;
    this.now = options.now ?? Date.now;
    this.newToken = options.newToken ?? (() => randomBytes(24).toString('base64url'));
  }

  async issue(intent: ExperimentIntent): Promise<{ token: string; expiresAt: number }> {
    const now = this.now();
    const token = this.newToken();
    const expiresAt = now + this.ttlMs;
    const { action, service, taskId } = intent;
    await this.db.transaction().execute(async (trx) => {
      await trx.deleteFrom('experiment_confirmations').where('expires_at', '<=', now).execute();
      await trx
        .insertInto('experiment_confirmations')
        .values({ token_hash: hashToken(token), intent: JSON.stringify({ action, service, taskId }), expires_at: expiresAt })
        .execute();
      // All tokens share one lifetime, so the earliest expiry is the oldest preview.
      const beyond = await trx
        .selectFrom('experiment_confirmations')
        .select('token_hash')
        .orderBy('expires_at', 'desc')
        .offset(this.max)
        .limit(1000)
        .execute();
      if (beyond.length) {
        await trx
          .deleteFrom('experiment_confirmations')
          .where('token_hash', 'in', beyond.map((r) => r.token_hash))
          .execute();
      }
    });
    return { token, expiresAt };
  }

  /** Uses the token up, whatever the outcome: a confirmation that does not match is not retried with the same token. */
  async redeem(token: string, intent: ExperimentIntent): Promise<Redemption> {
    const row = await this.db
      .deleteFrom('experiment_confirmations')
      .where('token_hash', '=', hashToken(token))
      .returning(['intent', 'expires_at'])
      .executeTakeFirst();
    if (!row) return { ok: false, reason: 'this confirmation is unknown or already used: ask for a new preview' };
    if (Number(row.expires_at) <= this.now()) return { ok: false, reason: 'this confirmation has expired: ask for a new preview' };
    const issued = JSON.parse(row.intent) as ExperimentIntent;
    if (!sameIntent(issued, intent)) return { ok: false, reason: `this confirmation was for ${describe(issued)}, not ${describe(intent)}` };
    return { ok: true };
  }
}
