// The versioned JSON form of a probe report: what export writes, import reads and the store hands out.
// Strict: a report is our own output, so an unknown key is a mistake (or a newer schema), not data to keep.
import { z } from 'zod';
import { probeSpecSchema } from '@/lib/probe/spec';
import {
  cookieRejectReasons,
  cookieWithholdReasons,
  diagnosisCodes,
  probeErrorCodes,
  protocolOutcomes,
  protocolPhases,
  probeTransportKinds,
  type CookieSummary,
  type Diagnosis,
  type ExpectationResult,
  type ProbeRecord,
  type StickyVerdict,
} from '@/lib/probe/types';
import { ruleIds, severities, type Finding } from '@/lib/affinity/types';
import { experimentActions, type ExperimentEvent, type MeasuredExperiment } from '@/lib/experiments/types';
import type { FailoverMeasurement } from '@/lib/probe/failover';
import type { TopologyService } from '@/lib/topology/types';
import { parseInput } from '@/lib/validation';

/** 2 added `experiments`; a version 1 report reads as one without experiments. */
export const REPORT_SCHEMA_VERSION = 2;
const READABLE_SCHEMA_VERSIONS = [1, 2] as const;

export const reportStatuses = ['running', 'complete', 'stopped', 'incomplete'] as const;
export type ReportStatus = (typeof reportStatuses)[number];

export const verdictStatuses = ['pass', 'fail', 'inconclusive'] as const;
export type VerdictStatus = (typeof verdictStatuses)[number];

const count = z.number().int().nonnegative();
const epochMs = z.number().int().nonnegative();
const counts = z.record(z.string(), count);

const cookieAttributesSchema = z.strictObject({
  domain: z.string().nullable(),
  path: z.string().nullable(),
  secure: z.boolean(),
  httpOnly: z.boolean(),
  sameSite: z.enum(['strict', 'lax', 'none']).nullable(),
  partitioned: z.boolean(),
  maxAge: z.number().nullable(),
  expires: z.number().nullable(),
});

const setCookieEventSchema = z.strictObject({
  name: z.string(),
  value: z.string(),
  attributes: cookieAttributesSchema,
  outcome: z.enum(['stored', 'updated', 'deleted', 'rejected']),
  reason: z.enum(cookieRejectReasons).nullable(),
  secureVia: z.enum(['https', 'loopback']).nullable(),
  previousValue: z.string().nullable(),
});

const probeErrorSchema = z.strictObject({ code: z.enum(probeErrorCodes), message: z.string() });

export const probeRecordSchema = z.strictObject({
  index: z.number().int().positive(),
  startedAt: z.number(),
  latencyMs: z.number(),
  status: z.number().int().nullable(),
  replica: z.string().nullable(),
  identitySource: z.string().nullable(),
  setCookies: z.array(setCookieEventSchema).readonly(),
  cookieSent: z.array(z.string()).readonly(),
  withheld: z.array(z.strictObject({ name: z.string(), reason: z.enum(cookieWithholdReasons) })).readonly(),
  balancer: z.strictObject({ name: z.string(), sent: z.string().nullable(), set: z.string().nullable() }).nullable(),
  error: probeErrorSchema.nullable(),
  bodyTruncated: z.boolean(),
  protocol: z
    .strictObject({
      phase: z.enum(protocolPhases),
      lane: z.number().int().positive(),
      session: z.string().nullable(),
      outcome: z.enum(protocolOutcomes),
      answer: z.string().nullable(),
    })
    .optional(),
  appSession: z.strictObject({ name: z.string(), sent: z.boolean(), lost: z.boolean() }).optional(),
  transport: z.enum(probeTransportKinds).optional(),
}) satisfies z.ZodType<ProbeRecord>;

const verdictSchema = z.strictObject({
  status: z.enum(verdictStatuses),
  sticky: z.boolean(),
  total: count,
  successful: count,
  identified: count,
  firstReplica: z.string().nullable(),
  firstBreakAt: z.number().int().nullable(),
  firstBreakMs: z.number().nullable(),
  firstBreakReplica: z.string().nullable(),
  switches: count,
  replicas: counts,
  errors: z.strictObject({
    total: count,
    byStatus: counts,
    byCode: z.partialRecord(z.enum(probeErrorCodes), count),
  }),
}) satisfies z.ZodType<StickyVerdict>;

const expectationSchema = z.strictObject({
  expect: z.enum(['sticky', 'spread']),
  holds: z.boolean(),
  message: z.string(),
}) satisfies z.ZodType<ExpectationResult>;

const diagnosisSchema = z.strictObject({
  code: z.enum(diagnosisCodes),
  severity: z.enum(['error', 'warning', 'info']),
  message: z.string(),
  atIndex: z.number().int().nullable(),
  cookie: z.string().nullable(),
}) satisfies z.ZodType<Diagnosis>;

const cookieSummarySchema = z.strictObject({
  balancerCookie: z.string().nullable(),
  cookies: z.array(
    z.strictObject({
      name: z.string(),
      isBalancer: z.boolean(),
      attributes: cookieAttributesSchema.nullable(),
      firstSetAt: z.number().int().nullable(),
      setCount: count,
      storedCount: count,
      sentCount: count,
      firstSentAt: z.number().int().nullable(),
      changes: count,
      firstChangeAt: z.number().int().nullable(),
      deletes: count,
      rejected: z.partialRecord(z.enum(cookieRejectReasons), count),
      firstRejectedAt: z.number().int().nullable(),
      withheld: z.partialRecord(z.enum(cookieWithholdReasons), count),
      secureViaLoopback: count,
      repins: count,
      firstRepin: z.strictObject({ index: z.number().int(), cookieReplica: z.string(), answeredBy: z.string() }).nullable(),
    }),
  ),
  events: z.array(
    z.strictObject({
      index: z.number().int(),
      atMs: z.number(),
      name: z.string(),
      kind: z.enum(['set', 'changed', 'deleted', 'rejected', 'withheld', 'first-sent', 'repinned']),
      detail: z.string().nullable(),
    }),
  ),
  droppedEvents: count,
}) satisfies z.ZodType<CookieSummary>;

const findingSchema = z.strictObject({
  rule: z.enum(ruleIds),
  severity: z.enum(severities),
  service: z.string(),
  stack: z.string().nullable(),
  title: z.string(),
  message: z.string(),
  evidence: z.array(z.strictObject({ label: z.string(), value: z.string() })),
  fix: z
    .strictObject({
      labelsToAdd: z.record(z.string(), z.string()),
      labelsToRemove: z.array(z.string()),
      note: z.string().optional(),
    })
    .nullable(),
  docs: z.string(),
}) satisfies z.ZodType<Finding>;

// The topology model spans Swarm and Traefik types that have no zod schema yet; check the outline and keep the rest
// as the exporting dashboard wrote it.
const topologyServiceSchema = z.custom<TopologyService>(
  (value) =>
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { id?: unknown }).id === 'string' &&
    typeof (value as { name?: unknown }).name === 'string' &&
    Array.isArray((value as { tasks?: unknown }).tasks) &&
    Array.isArray((value as { servers?: unknown }).servers),
  'is not a topology service (id, name, tasks and servers expected)',
);

export const reportTopologySchema = z.strictObject({
  /** ISO time of the topology snapshot the run saw. */
  generatedAt: z.string(),
  service: topologyServiceSchema,
  findings: z.array(findingSchema),
});
export type ReportTopology = z.output<typeof reportTopologySchema>;

/** What the run produced once it ended; null while it runs or when the dashboard died mid-run. */
export const reportOutcomeSchema = z.strictObject({
  ended: z.enum(['completed', 'first-break', 'aborted']),
  verdict: verdictSchema,
  expectation: expectationSchema,
  diagnosis: z.array(diagnosisSchema),
  cookies: cookieSummarySchema,
});
export type ReportOutcome = z.output<typeof reportOutcomeSchema>;

export const redactionSchema = z.strictObject({
  /** Redact when shared; false only when the author opted out for this report. */
  onShare: z.boolean(),
  /** Drop query strings from URLs when redacting. */
  stripQuery: z.boolean(),
  /** What was applied to this copy; null for an unredacted copy. */
  applied: z
    .strictObject({
      cookieValues: z.boolean(),
      privateIps: z.boolean(),
      authHeaders: z.boolean(),
      queryStrings: z.boolean(),
      /** `resolve` overrides removed because their address was private. */
      droppedResolve: count,
    })
    .nullable(),
});
export type Redaction = z.output<typeof redactionSchema>;

/** A failover experiment sent during the run, on the run's own clock. */
export const experimentEventSchema = z.strictObject({
  id: z.string().min(1).max(100),
  action: z.enum(experimentActions),
  service: z.string().max(256),
  taskId: z.string().max(128),
  taskName: z.string().max(256),
  replica: z.string().max(2048).nullable(),
  afterIndex: count,
  atMs: z.number().nonnegative(),
  ok: z.boolean(),
  message: z.string().max(8192),
}) satisfies z.ZodType<ExperimentEvent>;

const failoverMeasurementSchema = z.strictObject({
  outcome: z.enum(['unaffected', 'recovered', 'not-recovered', 'no-baseline', 'no-data']),
  pinnedReplica: z.string().nullable(),
  requestsAfter: count,
  disruptionAt: z.number().int().nullable(),
  failedRequests: count,
  failedAfterAction: count,
  failureWindow: z.strictObject({ fromIndex: z.number().int(), toIndex: z.number().int(), fromMs: z.number(), toMs: z.number() }).nullable(),
  recovery: z.strictObject({ index: z.number().int(), replica: z.string().nullable() }).nullable(),
  timeToRecoveryMs: z.number().nullable(),
  repinnedTo: z.string().nullable(),
  repinned: z.boolean(),
  balancerCookie: z
    .strictObject({
      name: z.string(),
      before: z.string().nullable(),
      after: z.string().nullable(),
      reissued: z.boolean(),
      reissuedAt: z.number().int().nullable(),
    })
    .nullable(),
  session: z
    .strictObject({
      cookies: z.array(
        z.strictObject({
          name: z.string(),
          survived: z.boolean().nullable(),
          lostAt: z.number().int().nullable(),
          how: z.enum(['replaced', 'deleted']).nullable(),
        }),
      ),
      survived: z.boolean().nullable(),
    })
    .nullable(),
}) satisfies z.ZodType<FailoverMeasurement>;

/** An experiment with what it did to the client; the store measures it again from the records it holds. */
export const measuredExperimentSchema = experimentEventSchema.extend({
  measurement: failoverMeasurementSchema.nullable(),
}) satisfies z.ZodType<MeasuredExperiment>;

export const reportSchema = z.strictObject({
  // Every readable version comes out as the current one: the fields a later version added get their empty value.
  schemaVersion: z.literal(READABLE_SCHEMA_VERSIONS).transform((): typeof REPORT_SCHEMA_VERSION => REPORT_SCHEMA_VERSION),
  id: z.string().min(1).max(100),
  status: z.enum(reportStatuses),
  /** Epoch ms. */
  startedAt: epochMs,
  endedAt: epochMs.nullable(),
  dashboardVersion: z.string(),
  spec: probeSpecSchema,
  records: z.array(probeRecordSchema),
  outcome: reportOutcomeSchema.nullable(),
  topology: reportTopologySchema.nullable(),
  experiments: z.array(measuredExperimentSchema).max(1000).default([]),
  redaction: redactionSchema,
});
export type Report = z.output<typeof reportSchema>;

/** Parses an exported report (an import, a `POST /api/reports` body); throws `InputError` listing every problem. */
export function parseReport(input: unknown): Report {
  return parseInput(reportSchema, input, 'report');
}

/** The export form: the report as plain JSON text. */
export function toReportJson(report: Report): string {
  return JSON.stringify(report);
}

/** Lower-cased host of the probed target, the key the reports list filters on. */
export function targetHost(target: string): string {
  try {
    return new URL(target).hostname.replace(/^\[|\]$/g, '').toLowerCase();
  } catch {
    return '';
  }
}
