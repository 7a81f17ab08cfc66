import 'server-only';
// The report store of this server process: opened on first use, once, and marked-up at start-up so runs a previous
// process left `running` read as `incomplete`.
import { getConfig } from '@/lib/env';
import { openSqliteReportStore } from './sqlite';
import type { ReportStore } from './store';

export type { ReportStore } from './store';
export { ReportError } from './store';

const globalForReports = globalThis as unknown as { stickyscopeReportStore?: Promise<ReportStore> };

async function open(): Promise<ReportStore> {
  const store = openSqliteReportStore({ path: getConfig().reportsDbPath });
  await store.markIncompleteOnStartup();
  return store;
}

export function getReportStore(): Promise<ReportStore> {
  globalForReports.stickyscopeReportStore ??= open().catch((error: unknown) => {
    globalForReports.stickyscopeReportStore = undefined;
    throw error;
  });
  return globalForReports.stickyscopeReportStore;
}
