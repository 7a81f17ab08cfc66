import 'server-only';
// The experiment log in the dashboard's database: one log for every dashboard process on it, kept across restarts.
import type { Kysely } from 'kysely';
import type { ReportDatabase } from '@/lib/reports/db-schema';
import { DEFAULT_LOG_LIST, stampLogEntry, type ExperimentLog, type LogOptions, type NewLogEntry } from './log';
import { experimentActions, type ExperimentLogEntry } from './types';

const steps = ['request', 'preview', 'confirm', 'run'] as const;
const results = ['ok', 'refused', 'failed'] as const;

function oneOf<T extends string>(values: readonly T[], value: string | null, fallback: T): T {
  return values.includes(value as T) ? (value as T) : fallback;
}

export class DatabaseExperimentLog implements ExperimentLog {
  constructor(
    private readonly db: Kysely<ReportDatabase>,
    private readonly options: LogOptions = {},
  ) {}

  async append(entry: NewLogEntry): Promise<ExperimentLogEntry> {
    const full = stampLogEntry(entry, this.options);
    await this.db
      .insertInto('experiment_log')
      .values({
        id: full.id,
        at: Date.parse(full.at),
        who: full.who,
        step: full.step,
        action: full.action,
        service: full.service,
        task_id: full.taskId,
        replica: full.replica,
        result: full.result,
        message: full.message,
      })
      .execute();
    return full;
  }

  async list(limit = DEFAULT_LOG_LIST): Promise<ExperimentLogEntry[]> {
    const rows = await this.db
      .selectFrom('experiment_log')
      .selectAll()
      .orderBy('at', 'desc')
      .orderBy('id', 'desc')
      .limit(Math.max(1, Math.min(Math.floor(limit), 1000)))
      .execute();
    // A row written by a newer dashboard may name a step, action or result this one does not know; it still shows,
    // with the unknown action kept in its message.
    return rows.map((r) => {
      const known = r.action === null || (experimentActions as readonly string[]).includes(r.action);
      return {
        id: r.id,
        at: new Date(Number(r.at)).toISOString(),
        who: r.who,
        step: oneOf(steps, r.step, 'request'),
        action: known ? (r.action as ExperimentLogEntry['action']) : null,
        service: r.service,
        taskId: r.task_id,
        replica: r.replica,
        result: oneOf(results, r.result, 'failed'),
        message: known ? r.message : `${r.action}: ${r.message}`,
      };
    });
  }
}
