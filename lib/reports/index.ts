import 'server-only';
// The dashboard database of this server process: opened on first use, once. It holds the reports and the experiment
// journal. At start-up it sweeps runs whose lease lapsed (their dashboard process died) to `incomplete`; live runs of
// other processes on the same database stay running.
import type { Kysely } from 'kysely';
import { getConfig } from '@/lib/env';
import type { ReportDatabase } from './db-schema';
import type { KyselyReportStore } from './kysely-store';
import { openReportStore } from './open';
import type { ReportStore } from './store';

export type { ReportStore } from './store';
export { ReportError } from './store';

const globalForReports = globalThis as unknown as { stickyscopeReportStore?: Promise<KyselyReportStore> };

async function open(): Promise<KyselyReportStore> {
  const config = getConfig();
  const store = await openReportStore({ databaseUrl: config.databaseUrl, sqlitePath: config.reportsDbPath });
  try {
    await store.markIncompleteOnStartup();
  } catch (error) {
    await store.close();
    throw error;
  }
  return store;
}

function openOnce(): Promise<KyselyReportStore> {
  globalForReports.stickyscopeReportStore ??= open().catch((error: unknown) => {
    globalForReports.stickyscopeReportStore = undefined;
    throw error;
  });
  return globalForReports.stickyscopeReportStore;
}

export function getReportStore(): Promise<ReportStore> {
  return openOnce();
}

/** The same database's connection, migrated, for the tables beside the reports. */
export async function getDashboardDatabase(): Promise<Kysely<ReportDatabase>> {
  return (await openOnce()).database;
}
