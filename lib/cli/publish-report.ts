// `--report-to`: hands a finished run to a dashboard's `POST /api/reports`, which stores it and answers a share link.
import { z } from 'zod';
import { InputError } from '@/lib/errors';
import { toReportJson, type Report } from '@/lib/reports/schema';

const PUBLISH_TIMEOUT_MS = 60_000;

// Liberal: a newer dashboard may answer more than these fields.
const publishedSchema = z.object({ id: z.string().min(1), shareUrl: z.string().min(1) });
export type PublishedReport = z.output<typeof publishedSchema>;

export class PublishError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PublishError';
  }
}

/** The dashboard's base URL from `--report-to`; a path prefix (a dashboard behind a sub-path) is kept. */
export function parseDashboardUrl(raw: string): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new InputError(`--report-to "${raw}" is not a URL; give the dashboard's address, e.g. http://stickyscope.internal:3000`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new InputError(`--report-to must be an http or https URL, not ${url.protocol.slice(0, -1)}`);
  if (url.username || url.password) throw new InputError('--report-to: credentials in the URL are not supported');
  url.search = '';
  url.hash = '';
  if (!url.pathname.endsWith('/')) url.pathname += '/';
  return url;
}

export async function publishReport(dashboard: URL, report: Report): Promise<PublishedReport> {
  const endpoint = new URL('api/reports', dashboard);
  let response: Response;
  try {
    response = await fetch(endpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: toReportJson(report),
      signal: AbortSignal.timeout(PUBLISH_TIMEOUT_MS),
    });
  } catch (error) {
    const cause = error instanceof Error && error.cause instanceof Error ? error.cause.message : error instanceof Error ? error.message : String(error);
    throw new PublishError(`${endpoint.href} could not be reached: ${cause}`);
  }
  const text = await response.text();
  let body: unknown = null;
  try {
    body = JSON.parse(text);
  } catch {
    // Reported below with the status.
  }
  if (!response.ok) {
    const message = (body as { error?: { message?: unknown } } | null)?.error?.message;
    throw new PublishError(`${endpoint.href} answered HTTP ${response.status}${typeof message === 'string' ? `: ${message}` : ''}`);
  }
  const published = publishedSchema.safeParse(body);
  if (!published.success) throw new PublishError(`${endpoint.href} answered HTTP ${response.status} but not with a report id and share link; is it a stickyscope dashboard?`);
  return published.data;
}
