// The report repository: one interface with one implementation (kysely-store.ts) over SQLite or PostgreSQL.
// Async throughout so a network database fits behind the same calls.
import { createHash, randomBytes } from 'node:crypto';
import type { ProbeSpec } from '@/lib/probe/spec';
import type { ExperimentEvent } from '@/lib/experiments/types';
import type { ProbeRecord } from '@/lib/probe/types';
import type { Report, ReportOutcome, ReportStatus, ReportTopology, VerdictStatus } from './schema';

export type NewReport = {
  spec: ProbeSpec;
  /** Epoch ms. */
  startedAt: number;
  dashboardVersion: string;
  topology?: ReportTopology | null;
  /** Author's choices for sharing; redaction is on by default. */
  redaction?: { onShare?: boolean; stripQuery?: boolean };
};

export type FinishReport = {
  status: Extract<ReportStatus, 'complete' | 'stopped'>;
  /** Epoch ms. */
  endedAt: number;
  outcome: ReportOutcome;
};

/** What an exported report says besides its records and where it began. */
export type ImportedEnding = Pick<Report, 'status' | 'endedAt' | 'outcome' | 'topology' | 'experiments' | 'redaction'>;

export type ReportSummary = {
  id: string;
  target: string;
  host: string;
  status: ReportStatus;
  verdict: VerdictStatus | null;
  sticky: boolean | null;
  startedAt: number;
  endedAt: number | null;
  /** Epoch ms of the last write to the run (create, append, finish); see lease.ts. */
  lastActivityAt: number;
  records: number;
};

/** What a write left behind, without reading the report back: its records may run to tens of megabytes. */
export type SavedReport = { id: string; status: ReportStatus; records: number };

export type ReportFilter = {
  /** Exact target host, case-insensitive. */
  host?: string;
  verdict?: VerdictStatus;
  /** Epoch ms, inclusive bounds on `startedAt`. */
  from?: number;
  to?: number;
  limit?: number;
};

export type ShareOptions = { /** Epoch ms; no expiry when absent. */ expiresAt?: number | null };

export interface ReportStore {
  createReport(input: NewReport): Promise<SavedReport>;
  /**
   * Adds one batch in one transaction and renews the run's lease; re-sending a record index replaces it, so retrying
   * a batch is safe. Throws `not-running` once the run ended or its lease lapsed.
   */
  appendRecords(reportId: string, records: readonly ProbeRecord[]): Promise<void>;
  /**
   * Adds failover experiments sent during the run, and renews its lease; an event re-sent with the same id replaces
   * itself. Throws like `appendRecords`.
   */
  appendExperiments(reportId: string, events: readonly ExperimentEvent[]): Promise<void>;
  finishReport(reportId: string, finish: FinishReport): Promise<SavedReport>;
  getReport(reportId: string): Promise<Report | null>;
  /** Newest first. */
  listReports(filter?: ReportFilter): Promise<ReportSummary[]>;
  deleteReport(reportId: string): Promise<boolean>;
  /**
   * Ends a run that an import (import.ts) opened with `createReport` and filled with `appendRecords`: sets what the
   * export says about its end, its topology, experiments and redaction choices. An export of a running report
   * arrives `incomplete`, since nothing here writes to it. Throws like `appendRecords`.
   */
  finishImport(reportId: string, ending: ImportedEnding): Promise<SavedReport>;
  createShare(reportId: string, options?: ShareOptions): Promise<{ shareId: string }>;
  /** The report as a share shows it (redacted unless the author opted out); null for unknown, expired or revoked ids. */
  resolveShare(shareId: string): Promise<Report | null>;
  /** False when the link is unknown, already revoked, or belongs to another report; an expired link can be revoked. */
  revokeShare(reportId: string, shareId: string): Promise<boolean>;
  /**
   * Marks runs whose lease lapsed (their writer is gone) as `incomplete`; returns how many. Live runs of other
   * processes on the same database are left alone. Called at start-up; safe to call at any time.
   */
  markIncompleteOnStartup(): Promise<number>;
  close(): Promise<void>;
}

export const reportErrorCodes = ['not-found', 'not-running'] as const;
export type ReportErrorCode = (typeof reportErrorCodes)[number];

/** A write the report's state does not allow; `not-found` maps to 404, `not-running` to 409. */
export class ReportError extends Error {
  constructor(
    readonly code: ReportErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'ReportError';
  }
}

/** 16 random bytes: 128 bits, above the 126 the share link promises. */
export function newShareId(): string {
  return randomBytes(16).toString('base64url');
}

/** Only this hash is stored, so a database dump does not hand out working links. */
export function hashShareId(shareId: string): Buffer {
  return createHash('sha256').update(shareId, 'utf8').digest();
}

export function newReportId(): string {
  return randomBytes(12).toString('base64url');
}

/** Per-report key for cookie pseudonyms; stored with the report, never exported. */
export function newRedactionKey(): Buffer {
  return randomBytes(32);
}
