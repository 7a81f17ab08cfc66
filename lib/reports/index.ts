import 'server-only';
// The report store of this server process: opened on first use, once. At start-up it sweeps runs whose lease lapsed
// (their dashboard process died) to `incomplete`; live runs of other processes on the same database stay running.
import { getConfig } from '@/lib/env';
import { openReportStore } from './open';
import type { ReportStore } from './store';

export type { ReportStore } from './store';
export { ReportError } from './store';

const globalForReports = globalThis as unknown as { stickyscopeReportStore?: Promise<ReportStore> };

async function open(): Promise<ReportStore> {
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

export function getReportStore(): Promise<ReportStore> {
  globalForReports.stickyscopeReportStore ??= open().catch((error: unknown) => {
    globalForReports.stickyscopeReportStore = undefined;
    throw error;
  });
  return globalForReports.stickyscopeReportStore;
}
