// Request bodies and query strings of the report API. Strict: these are our own clients' inputs, so an unknown key is
// a mistake to report, not data to drop. Client-safe (the report writer and the pages share the limits).
import { z } from 'zod';
import { parseInput } from '@/lib/validation';
import { probeSpecSchema } from '@/lib/probe/spec';
import { experimentEventSchema, probeRecordSchema, reportOutcomeSchema, verdictStatuses, type VerdictStatus } from './schema';
import { REPORT_LIMITS } from './limits';
import type { ReportFilter } from './store';

const epochMs = z.number().int().nonnegative();

export const createRunSchema = z.strictObject({
  spec: probeSpecSchema,
  /** The service the run is about, when the page knows it; otherwise the target host picks it. */
  serviceId: z.string().min(1).max(200).nullable().default(null),
  startedAt: epochMs,
  redaction: z.strictObject({ onShare: z.boolean().optional(), stripQuery: z.boolean().optional() }).default({}),
});
export type CreateRunInput = z.input<typeof createRunSchema>;

export const appendRecordsSchema = z
  .strictObject({ records: z.array(probeRecordSchema).min(1).max(REPORT_LIMITS.maxBatchRecords) })
  .superRefine(({ records }, ctx) => {
    for (let i = 1; i < records.length; i++) {
      if (records[i]!.index <= records[i - 1]!.index) {
        ctx.addIssue({ code: 'custom', path: ['records', i, 'index'], message: 'records must come in rising index order' });
        return;
      }
    }
  });

export const appendExperimentsSchema = z.strictObject({
  experiments: z.array(experimentEventSchema).min(1).max(REPORT_LIMITS.maxBatchExperiments),
});
export type AppendExperimentsInput = z.input<typeof appendExperimentsSchema>;

export const finishRunSchema = z.strictObject({
  status: z.enum(['complete', 'stopped']),
  endedAt: epochMs,
  outcome: reportOutcomeSchema,
});
export type FinishRunInput = z.input<typeof finishRunSchema>;

export const createShareSchema = z.strictObject({
  /** Hours until the link stops working; null for a link that lasts until revoked. */
  expiresInHours: z.number().int().min(1).max(REPORT_LIMITS.maxShareHours).nullable().default(REPORT_LIMITS.defaultShareHours),
});

const day = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'should be a date like 2026-01-31')
  .refine((d) => !Number.isNaN(Date.parse(`${d}T00:00:00Z`)), 'is not a real date');

export const reportFilterSchema = z.strictObject({
  host: z.string().trim().max(253).optional(),
  verdict: z.enum(verdictStatuses).optional(),
  /** Whole UTC days, both inclusive. */
  from: day.optional(),
  to: day.optional(),
  limit: z.coerce.number().int().min(1).max(REPORT_LIMITS.maxListed).optional(),
});
export type ReportFilterInput = z.input<typeof reportFilterSchema>;

const DAY_MS = 86_400_000;

export function toReportFilter(input: z.output<typeof reportFilterSchema>): ReportFilter {
  const filter: ReportFilter = {};
  if (input.host) filter.host = input.host;
  if (input.verdict) filter.verdict = input.verdict as VerdictStatus;
  if (input.from) filter.from = Date.parse(`${input.from}T00:00:00Z`);
  if (input.to) filter.to = Date.parse(`${input.to}T00:00:00Z`) + DAY_MS - 1;
  if (input.limit) filter.limit = input.limit;
  return filter;
}

/** Search params as they arrive (blank fields from an empty form are absent), into the store's filter. */
export function parseReportFilter(params: Record<string, string | string[] | undefined>): ReportFilter {
  const flat: Record<string, string> = {};
  for (const [key, value] of Object.entries(params)) {
    const v = Array.isArray(value) ? value[0] : value;
    if (v !== undefined && v.trim() !== '') flat[key] = v;
  }
  return toReportFilter(parseInput(reportFilterSchema, flat, 'report filter'));
}
