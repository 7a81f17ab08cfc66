// How large a report and the requests of the report API may be. Every bound on what a report holds follows from what
// a probe run can produce, so any export this product writes imports again, and nothing larger is read. Client-safe.
import { ruleIds } from '@/lib/affinity/types';
import { COOKIE_TIMELINE_MAX_EVENTS, COOKIE_TIMELINE_MAX_STORIES } from '@/lib/probe/cookie-timeline';
import { PROBE_LIMITS } from '@/lib/probe/spec';
import { cookieRejectReasons, cookieWithholdReasons, diagnosisCodes } from '@/lib/probe/types';

/** Far above what one Swarm service runs or one Traefik service lists: tasks, servers, routers, labels, evidence. */
const CLUSTER_ITEMS = 10_000;

/** What one report may hold. */
export const REPORT_CONTENT_LIMITS = {
  /** One record per request, protocol probes included (each lane step is one request): the longest run. */
  records: PROBE_LIMITS.maxRequests,
  /**
   * Cookies on one record: a response head carries at most this many `Set-Cookie:` lines, and the same bound holds
   * the cookies one request sends or withholds.
   */
  cookiesPerRecord: Math.floor(PROBE_LIMITS.maxResponseHeadBytes / 'set-cookie:\r\n'.length),
  /** Any text from the wire (cookie, replica name, answer, or a message quoting one) fits in one response head. */
  textChars: PROBE_LIMITS.maxResponseHeadBytes,
  /** Each request names at most one replica. */
  replicas: PROBE_LIMITS.maxRequests,
  /** Three-digit status codes. */
  statuses: 900,
  cookieStories: COOKIE_TIMELINE_MAX_STORIES,
  timelineEvents: COOKIE_TIMELINE_MAX_EVENTS,
  /** A few per cookie story (one per reject or withhold reason at most), and each run-wide code once. */
  diagnosis: (COOKIE_TIMELINE_MAX_STORIES + 1) * (diagnosisCodes.length + cookieRejectReasons.length + cookieWithholdReasons.length),
  /** Each rule may name a finding per router or Traefik service of the one service a report is about. */
  findings: ruleIds.length * 100,
  clusterItems: CLUSTER_ITEMS,
  /** Failover experiments in one run; a person confirms each one. */
  experiments: 1000,
  /** Shiny ids a page declares, routes a session offers, worker ids, proof sentences: each list at most this long. */
  shinyItems: 256,
} as const;

/** Any one part of a report but its records (spec, outcome, topology, experiments): an outcome may count 100,000 replicas. */
const PART_BYTES = 8 * 1024 * 1024;

/** What the report API reads per request. */
export const REPORT_LIMITS = {
  /** Records in one append; the writer sends far fewer. */
  maxBatchRecords: 1000,
  /** A probe spec at its limits (64 KiB body, 32 KiB of headers, 8 KiB target), even with every character escaped. */
  createBytes: 1024 * 1024,
  batchBytes: 4 * 1024 * 1024,
  finishBytes: PART_BYTES,
  /** 50 experiment events at their longest. */
  experimentsBytes: 1024 * 1024,
  /** Experiments in one append; a person confirms each one. */
  maxBatchExperiments: 50,
  shareBytes: 4 * 1024,
  /** An exported 100,000-request run is about 40 MB of JSON. */
  importBytes: 64 * 1024 * 1024,
  /** All of an export but its records, together. */
  importPartChars: PART_BYTES,
  maxListed: 1000,
  /** A share link with an expiry lives at most a year; only an explicit "never" outlives that. */
  maxShareHours: 24 * 366,
  /** A share link whose author chose no expiry (and the CLI's published runs) lives 30 days. */
  defaultShareHours: 24 * 30,
} as const;
