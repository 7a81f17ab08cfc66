// `--report-to`: hands a finished run to a dashboard's `POST /api/reports`, which stores it and answers a share link.
import { z } from 'zod';
import { toReportJson, type Report } from '@/lib/reports/schema';
import { answerMessage, DashboardError, parseDashboardUrl as parseUrl, requestDashboard } from './dashboard';

const PUBLISH_TIMEOUT_MS = 60_000;

// Liberal: a newer dashboard may answer more than these fields.
const publishedSchema = z.object({ id: z.string().min(1), shareUrl: z.string().min(1), shareExpiresAt: z.number().nullable().optional().catch(undefined) });
export type PublishedReport = z.output<typeof publishedSchema>;

export class PublishError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PublishError';
  }
}

/** The dashboard's base URL from `--report-to`; a path prefix (a dashboard behind a sub-path) is kept. */
export function parseDashboardUrl(raw: string): URL {
  return parseUrl(raw, '--report-to');
}

export async function publishReport(dashboard: URL, report: Report): Promise<PublishedReport> {
  let answer;
  try {
    answer = await requestDashboard(dashboard, 'api/reports', { method: 'POST', headers: { 'content-type': 'application/json' }, body: toReportJson(report) }, { timeoutMs: PUBLISH_TIMEOUT_MS });
  } catch (error) {
    throw new PublishError(error instanceof DashboardError ? error.message : String(error));
  }
  if (!answer.ok) throw new PublishError(answerMessage(answer));
  const published = publishedSchema.safeParse(answer.json);
  if (!published.success) throw new PublishError(`${answer.endpoint} answered HTTP ${answer.status} but not with a report id and share link; is it a stickyscope dashboard?`);
  return published.data;
}
