// The versioned JSON form of a probe report: what export writes, import reads and the store hands out.
// Strict: a report is our own output, so an unknown key is a mistake (or a newer schema), not data to keep.
import { z } from 'zod';
import { probeSpecSchema } from '@/lib/probe/spec';
import {
  cookieRejectReasons,
  cookieWithholdReasons,
  diagnosisCodes,
  probeErrorCodes,
  probeProtocolChoices,
  probeProtocols,
  protocolOutcomes,
  protocolPhases,
  probeTransportKinds,
  shinyRouteKinds,
  shinyTransports,
  type CookieSummary,
  type Diagnosis,
  type ExpectationResult,
  type ProbeRecord,
  type ProtocolSummary,
  type ShinyFacts,
  type StickyVerdict,
} from '@/lib/probe/types';
import { ruleIds, severities, type Finding } from '@/lib/affinity/types';
import { experimentActions, type ExperimentEvent, type MeasuredExperiment } from '@/lib/experiments/types';
import type { FailoverMeasurement } from '@/lib/probe/failover';
import type { TopologyService } from '@/lib/topology/types';
import { atMostKeys, parseInput } from '@/lib/validation';
import { REPORT_CONTENT_LIMITS as LIMITS } from './limits';

/**
 * 2 added `experiments`; a version 1 report reads as one without experiments. 3 added the run's protocol evidence
 * (`outcome.protocol`: how the protocol was chosen, and a Shiny run's facts) and Shiny facts on records; an older
 * report reads with `outcome.protocol` null.
 */
export const REPORT_SCHEMA_VERSION = 3;
const READABLE_SCHEMA_VERSIONS = [1, 2, 3] as const;

export const reportStatuses = ['running', 'complete', 'stopped', 'incomplete'] as const;
export type ReportStatus = (typeof reportStatuses)[number];

export const verdictStatuses = ['pass', 'fail', 'inconclusive'] as const;
export type VerdictStatus = (typeof verdictStatuses)[number];

const count = z.number().int().nonnegative();
const epochMs = z.number().int().nonnegative();
/** Text that came from the wire or quotes it: a cookie, a replica name, an answer, a message. */
const text = z.string().max(LIMITS.textChars);
/** Counts keyed by replica or status: at most `maxKeys` keys, checked before any key is. */
const counts = (maxKeys: number, what: string) => atMostKeys(maxKeys, what).pipe(z.record(text, count));
const cookies = <T extends z.ZodType>(item: T) => z.array(item).max(LIMITS.cookiesPerRecord);
/** A request index: one record per request. */
const requestIndex = z.number().int().positive().max(LIMITS.records);

const cookieAttributesSchema = z.strictObject({
  domain: text.nullable(),
  path: text.nullable(),
  secure: z.boolean(),
  httpOnly: z.boolean(),
  sameSite: z.enum(['strict', 'lax', 'none']).nullable(),
  partitioned: z.boolean(),
  maxAge: z.number().nullable(),
  expires: z.number().nullable(),
});

const setCookieEventSchema = z.strictObject({
  name: text,
  value: text,
  attributes: cookieAttributesSchema,
  outcome: z.enum(['stored', 'updated', 'deleted', 'rejected']),
  reason: z.enum(cookieRejectReasons).nullable(),
  secureVia: z.enum(['https', 'loopback']).nullable(),
  previousValue: text.nullable(),
});

const probeErrorSchema = z.strictObject({ code: z.enum(probeErrorCodes), message: text });

/** Ids a page declares, or session routes a server hands out: a page's worth, far fewer in practice. */
const shinyIds = z.array(text).max(LIMITS.shinyItems);
const shinyRouteSchema = z.strictObject({ kind: z.enum(shinyRouteKinds), output: text, url: text });
const shinyRouteRefSchema = z.strictObject({ kind: z.enum(shinyRouteKinds), output: text });
const shinyPageSchema = z.strictObject({
  version: text.nullable(),
  datatables: shinyIds,
  downloads: shinyIds,
  fileInputs: shinyIds,
  outputs: count,
});

const shinyFactsSchema = z.strictObject({
  transport: z.enum(shinyTransports),
  workerId: text.nullable(),
  page: shinyPageSchema.optional(),
  routes: z.array(shinyRouteSchema).max(LIMITS.shinyItems).optional(),
  route: shinyRouteRefSchema.optional(),
  fallback: text.optional(),
}) satisfies z.ZodType<ShinyFacts>;

export const probeRecordSchema = z.strictObject({
  index: requestIndex,
  startedAt: z.number(),
  latencyMs: z.number(),
  /** 0 for an opaque browser response; otherwise the three digits of the status line. */
  status: z.number().int().min(0).max(999).nullable(),
  replica: text.nullable(),
  identitySource: text.nullable(),
  setCookies: cookies(setCookieEventSchema).readonly(),
  cookieSent: cookies(text).readonly(),
  withheld: cookies(z.strictObject({ name: text, reason: z.enum(cookieWithholdReasons) })).readonly(),
  balancer: z.strictObject({ name: text, sent: text.nullable(), set: text.nullable() }).nullable(),
  error: probeErrorSchema.nullable(),
  bodyTruncated: z.boolean(),
  protocol: z
    .strictObject({
      phase: z.enum(protocolPhases),
      lane: z.number().int().positive().max(LIMITS.records),
      session: text.nullable(),
      outcome: z.enum(protocolOutcomes),
      answer: text.nullable(),
      shiny: shinyFactsSchema.optional(),
    })
    .optional(),
  appSession: z.strictObject({ name: text, sent: z.boolean(), lost: z.boolean() }).optional(),
  transport: z.enum(probeTransportKinds).optional(),
}) satisfies z.ZodType<ProbeRecord>;

const verdictSchema = z.strictObject({
  status: z.enum(verdictStatuses),
  sticky: z.boolean(),
  total: count,
  successful: count,
  identified: count,
  firstReplica: text.nullable(),
  firstBreakAt: z.number().int().nullable(),
  firstBreakMs: z.number().nullable(),
  firstBreakReplica: text.nullable(),
  switches: count,
  replicas: counts(LIMITS.replicas, 'replicas'),
  errors: z.strictObject({
    total: count,
    byStatus: counts(LIMITS.statuses, 'statuses'),
    byCode: atMostKeys(probeErrorCodes.length, 'error codes').pipe(z.partialRecord(z.enum(probeErrorCodes), count)),
  }),
}) satisfies z.ZodType<StickyVerdict>;

const expectationSchema = z.strictObject({
  expect: z.enum(['sticky', 'spread']),
  holds: z.boolean(),
  message: text,
}) satisfies z.ZodType<ExpectationResult>;

const diagnosisSchema = z.strictObject({
  code: z.enum(diagnosisCodes),
  severity: z.enum(['error', 'warning', 'info']),
  message: text,
  atIndex: z.number().int().nullable(),
  cookie: text.nullable(),
}) satisfies z.ZodType<Diagnosis>;

const cookieSummarySchema = z.strictObject({
  balancerCookie: text.nullable(),
  cookies: z
    .array(
      z.strictObject({
        name: text,
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
        rejected: atMostKeys(cookieRejectReasons.length, 'reasons').pipe(z.partialRecord(z.enum(cookieRejectReasons), count)),
        firstRejectedAt: z.number().int().nullable(),
        withheld: atMostKeys(cookieWithholdReasons.length, 'reasons').pipe(z.partialRecord(z.enum(cookieWithholdReasons), count)),
        secureViaLoopback: count,
        repins: count,
        firstRepin: z.strictObject({ index: z.number().int(), cookieReplica: text, answeredBy: text }).nullable(),
      }),
    )
    .max(LIMITS.cookieStories),
  events: z
    .array(
      z.strictObject({
        index: z.number().int(),
        atMs: z.number(),
        name: text,
        kind: z.enum(['set', 'changed', 'deleted', 'rejected', 'withheld', 'first-sent', 'repinned']),
        detail: text.nullable(),
      }),
    )
    .max(LIMITS.timelineEvents),
  droppedEvents: count,
}) satisfies z.ZodType<CookieSummary>;

const findingSchema = z.strictObject({
  rule: z.enum(ruleIds),
  severity: z.enum(severities),
  service: text,
  stack: text.nullable(),
  title: text,
  message: text,
  evidence: z.array(z.strictObject({ label: text, value: text })).max(LIMITS.clusterItems),
  fix: z
    .strictObject({
      labelsToAdd: atMostKeys(LIMITS.clusterItems, 'labels').pipe(z.record(text, text)),
      labelsToRemove: z.array(text).max(LIMITS.clusterItems),
      note: text.optional(),
    })
    .nullable(),
  docs: text,
}) satisfies z.ZodType<Finding>;

/** The topology service's lists, each at most `clusterItems` long. */
const TOPOLOGY_LISTS = ['ports', 'networks', 'tasks', 'routers', 'traefikServices', 'servers', 'unroutedTaskIds', 'traefikWarnings', 'virtualIps'] as const;

// The topology model spans Swarm and Traefik types that have no zod schema yet; check the outline and keep the rest
// as the exporting dashboard wrote it.
const topologyServiceSchema = z.custom<TopologyService>(
  (value) =>
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { id?: unknown }).id === 'string' &&
    typeof (value as { name?: unknown }).name === 'string' &&
    Array.isArray((value as { tasks?: unknown }).tasks) &&
    Array.isArray((value as { servers?: unknown }).servers) &&
    TOPOLOGY_LISTS.every((key) => {
      const list = (value as Record<string, unknown>)[key];
      return list === undefined || (Array.isArray(list) && list.length <= LIMITS.clusterItems);
    }),
  `is not a topology service (id, name, tasks and servers expected, each list at most ${LIMITS.clusterItems} long)`,
);

export const reportTopologySchema = z.strictObject({
  /** ISO time of the topology snapshot the run saw. */
  generatedAt: z.string().max(64),
  service: topologyServiceSchema,
  findings: z.array(findingSchema).max(LIMITS.findings),
});
export type ReportTopology = z.output<typeof reportTopologySchema>;

const protocolStepSchema = z.strictObject({
  index: requestIndex,
  session: text.nullable(),
  answer: text.nullable(),
  replica: text.nullable(),
  message: text.nullable(),
  origin: z.strictObject({ index: requestIndex, replica: text.nullable() }).nullable(),
});

const protocolSummarySchema = z.strictObject({
  protocol: z.enum(probeProtocols),
  detection: z.strictObject({
    requested: z.enum(probeProtocolChoices),
    protocol: z.enum(probeProtocols),
    reason: text,
    atIndex: requestIndex.nullable(),
  }),
  phases: atMostKeys(protocolPhases.length, 'phases').pipe(
    z.partialRecord(
      z.enum(protocolPhases),
      z.strictObject({
        ok: count,
        break: count,
        error: count,
        first: atMostKeys(protocolOutcomes.length, 'outcomes').pipe(z.partialRecord(z.enum(protocolOutcomes), protocolStepSchema)),
      }),
    ),
  ),
  appSession: z
    .strictObject({
      name: text,
      sent: count,
      lost: count,
      firstLost: z.strictObject({ index: requestIndex, replica: text.nullable() }).nullable(),
    })
    .nullable(),
  shiny: z
    .strictObject({
      transport: z.enum(shinyTransports),
      fallback: text.optional(),
      page: shinyPageSchema.nullable(),
      sessions: z.strictObject({ opened: count, configured: count }),
      first: z
        .strictObject({ sessionId: text, workerId: text.nullable(), index: requestIndex, replica: text.nullable(), identitySource: text.nullable().default(null) })
        .nullable(),
      workers: shinyIds,
      routes: z.array(shinyRouteSchema).max(LIMITS.shinyItems),
      probed: shinyRouteRefSchema.nullable(),
      proved: z.array(text).max(LIMITS.shinyItems),
      unproved: z.array(text).max(LIMITS.shinyItems),
    })
    .nullable(),
}) satisfies z.ZodType<ProtocolSummary>;

/** What the run produced once it ended; null while it runs or when the dashboard died mid-run. */
export const reportOutcomeSchema = z.strictObject({
  ended: z.enum(['completed', 'first-break', 'aborted']),
  verdict: verdictSchema,
  expectation: expectationSchema,
  diagnosis: z.array(diagnosisSchema).max(LIMITS.diagnosis),
  cookies: cookieSummarySchema,
  /** The protocol's own evidence; null in reports written before version 3. */
  protocol: protocolSummarySchema.nullable().default(null),
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
  afterIndex: count.max(LIMITS.records),
  atMs: z.number().nonnegative(),
  ok: z.boolean(),
  message: z.string().max(8192),
}) satisfies z.ZodType<ExperimentEvent>;

const failoverMeasurementSchema = z.strictObject({
  outcome: z.enum(['unaffected', 'recovered', 'not-recovered', 'no-baseline', 'no-data']),
  pinnedReplica: text.nullable(),
  requestsAfter: count,
  disruptionAt: z.number().int().nullable(),
  failedRequests: count,
  failedAfterAction: count,
  failureWindow: z.strictObject({ fromIndex: z.number().int(), toIndex: z.number().int(), fromMs: z.number(), toMs: z.number() }).nullable(),
  recovery: z.strictObject({ index: z.number().int(), replica: text.nullable() }).nullable(),
  timeToRecoveryMs: z.number().nullable(),
  repinnedTo: text.nullable(),
  repinned: z.boolean(),
  balancerCookie: z
    .strictObject({
      name: text,
      before: text.nullable(),
      after: text.nullable(),
      reissued: z.boolean(),
      reissuedAt: z.number().int().nullable(),
    })
    .nullable(),
  session: z
    .strictObject({
      cookies: z
        .array(
          z.strictObject({
            name: text,
            survived: z.boolean().nullable(),
            lostAt: z.number().int().nullable(),
            how: z.enum(['replaced', 'deleted']).nullable(),
          }),
        )
        .max(LIMITS.cookieStories),
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
  dashboardVersion: z.string().max(100),
  spec: probeSpecSchema,
  records: z.array(probeRecordSchema).max(LIMITS.records),
  outcome: reportOutcomeSchema.nullable(),
  topology: reportTopologySchema.nullable(),
  experiments: z.array(measuredExperimentSchema).max(LIMITS.experiments).default([]),
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
