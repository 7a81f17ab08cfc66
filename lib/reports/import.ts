// Importing an exported report through the same store calls a live run makes: the run is opened with
// `createReport`, its records go in with `appendRecords` in batches, and `finishImport` writes its end. A failed
// import deletes what it wrote.
//
// `importReportJson` does this while the body arrives: the records are validated and stored batch by batch, so the
// largest export never sits in memory whole, and a record count or a part over its limit stops the read at once.
// The export must give `schemaVersion`, `startedAt`, `dashboardVersion` and `spec` before `records`, as every
// export this product writes does; the rest is checked once the body has ended, before the report is finished.
import { InputError, TooLargeError } from '@/lib/errors';
import type { ProbeRecord } from '@/lib/probe/types';
import { IssueTally, parseInput } from '@/lib/validation';
import { REPORT_CONTENT_LIMITS, REPORT_LIMITS } from './limits';
import { ReportJsonSplitter, type ReportJsonPart } from './report-json-splitter';
import { probeRecordSchema, reportSchema, type Report } from './schema';
import type { ImportedEnding, ReportStore, SavedReport } from './store';

type ReportStart = Pick<Report, 'spec' | 'startedAt' | 'dashboardVersion'>;

/** One import in progress: an open run that records are added to in batches of the record route's size. */
class ReportImport {
  private batch: ProbeRecord[] = [];

  private constructor(
    private readonly store: ReportStore,
    readonly id: string,
  ) {}

  static async open(store: ReportStore, start: ReportStart): Promise<ReportImport> {
    const { id } = await store.createReport({ spec: start.spec, startedAt: start.startedAt, dashboardVersion: start.dashboardVersion });
    return new ReportImport(store, id);
  }

  async add(record: ProbeRecord): Promise<void> {
    this.batch.push(record);
    if (this.batch.length >= REPORT_LIMITS.maxBatchRecords) await this.flush();
  }

  async finish(ending: ImportedEnding): Promise<SavedReport> {
    await this.flush();
    return this.store.finishImport(this.id, ending);
  }

  async abandon(): Promise<void> {
    this.batch = [];
    await this.store.deleteReport(this.id).catch(() => false);
  }

  private async flush(): Promise<void> {
    if (!this.batch.length) return;
    const batch = this.batch;
    this.batch = [];
    await this.store.appendRecords(this.id, batch);
  }
}

/** Stores a parsed export under a new id; a report still running when exported arrives `incomplete`. */
export async function importReport(store: ReportStore, report: Report): Promise<SavedReport> {
  const run = await ReportImport.open(store, report);
  try {
    for (const record of report.records) await run.add(record);
    return await run.finish(report);
  } catch (error) {
    await run.abandon();
    throw error;
  }
}

const START_KEYS = ['schemaVersion', 'startedAt', 'dashboardVersion', 'spec'] as const;
const startSchema = reportSchema.pick({ schemaVersion: true, startedAt: true, dashboardVersion: true, spec: true });

function parseStart(members: Record<string, unknown>): ReportStart {
  const missing = START_KEYS.filter((key) => !Object.hasOwn(members, key));
  if (missing.length) {
    throw new InputError(`invalid report: ${missing.join(', ')} must come before records (an export lists ${START_KEYS.join(', ')} first)`);
  }
  return parseInput(startSchema, Object.fromEntries(START_KEYS.map((key) => [key, members[key]])), 'report');
}

/**
 * Imports an export from its JSON text as it arrives (`body`: the request's chunks, already bounded in bytes).
 * Throws `InputError` with the first problems and their count, or `TooLargeError` as soon as a limit is passed.
 */
export async function importReportJson(store: ReportStore, body: AsyncIterable<Uint8Array>): Promise<SavedReport> {
  const splitter = new ReportJsonSplitter({
    members: Object.keys(reportSchema.shape).length,
    memberChars: REPORT_LIMITS.importPartChars,
    recordChars: REPORT_LIMITS.batchBytes,
  });
  const decoder = new TextDecoder('utf-8', { fatal: true });
  const members: Record<string, unknown> = {};
  const issues = new IssueTally();
  // Set by the callback below, which TypeScript's narrowing does not follow into.
  const state: { run: ReportImport | null; hasRecords: boolean } = { run: null, hasRecords: false };

  const take = async (part: ReportJsonPart) => {
    if (part.kind === 'member') members[part.key] = part.value;
    else if (part.kind === 'records-start') {
      state.hasRecords = true;
      state.run = await ReportImport.open(store, parseStart(members));
    } else if (part.kind === 'record') {
      if (part.position >= REPORT_CONTENT_LIMITS.records) {
        throw new TooLargeError(`a report holds at most ${REPORT_CONTENT_LIMITS.records} records, one per request of the longest run`);
      }
      const record = probeRecordSchema.safeParse(part.value);
      if (record.success) {
        if (issues.issueCount === 0) await state.run?.add(record.data);
        return;
      }
      issues.add(record.error, ['records', part.position]);
      // Nothing of an invalid report is kept; the rest is still read to count its problems.
      await state.run?.abandon();
      state.run = null;
    }
  };
  const decode = (chunk?: Uint8Array) => {
    try {
      return decoder.decode(chunk, { stream: chunk !== undefined });
    } catch {
      throw new InputError('the body is not valid UTF-8 text');
    }
  };

  try {
    for await (const chunk of body) for (const part of splitter.push(decode(chunk))) await take(part);
    for (const part of [...splitter.push(decode()), ...splitter.end()]) await take(part);
    const rest = reportSchema.safeParse({ ...members, ...(state.hasRecords ? { records: [] } : {}) });
    if (!rest.success) issues.add(rest.error);
    if (issues.issueCount > 0 || !rest.success) throw issues.toError('report');
    if (!state.run) throw new InputError('invalid report: records: expected array');
    return await state.run.finish(rest.data);
  } catch (error) {
    await state.run?.abandon();
    throw error;
  }
}
