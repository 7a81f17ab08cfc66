import 'server-only';
// The report API's side of HTTP: error translation for report errors, and share links.
import { getConfig } from '@/lib/env';
import { InputError } from '@/lib/errors';
import { errorBody, errorResponse, noStore } from '@/lib/http';
import { dashboardBaseUrl, shareBaseUrl } from '@/lib/web/links';
import { targetHost, type Report } from './schema';
import { ReportError } from './store';

export { readJsonBody, readJsonBodyChunks } from '@/lib/http';
export { shareUrl } from '@/lib/web/links';

export function jsonResponse(body: unknown, init: { status?: number; headers?: Record<string, string> } = {}): Response {
  return Response.json(body, { status: init.status ?? 200, headers: { ...noStore, ...init.headers } });
}

/** `errorResponse` plus the report store's errors; never cached. */
export function reportErrorResponse(error: unknown): Response {
  let response: Response;
  if (error instanceof ReportError) {
    response = Response.json(errorBody(error.code, error.message), { status: error.code === 'not-found' ? 404 : 409 });
  } else {
    response = errorResponse(error);
  }
  response.headers.set('Cache-Control', noStore['Cache-Control']);
  return response;
}

export function noContentResponse(): Response {
  return new Response(null, { status: 204, headers: noStore });
}

export function notFoundResponse(what: string): Response {
  return reportErrorResponse(new ReportError('not-found', `${what} does not exist`));
}

/** The Host the request came in by (already checked by the server's front door), or the URL's when it has none. */
function requestHost(request: Request): string {
  return request.headers.get('host') ?? new URL(request.url).host;
}

function required(base: string | null): string {
  if (base === null) throw new InputError('the request has no valid Host header, and STICKYSCOPE_PUBLIC_URL is not set');
  return base;
}

/** Where links to the dashboard's own pages point: its public URL, or the Host the caller reached it by. */
export function dashboardOrigin(request: Request): string {
  return required(dashboardBaseUrl(getConfig().web, requestHost(request)));
}

/** Where share links point: the share listener or the dashboard, by their public URLs or the caller's Host. */
export function shareOrigin(request: Request): string {
  return required(shareBaseUrl(getConfig().web, requestHost(request)));
}

/** `Content-Disposition` for a download named after the target and day, e.g. `stickyscope-app.example-2026-01-31-<id>.csv`. */
export function attachment(report: Pick<Report, 'id' | 'spec' | 'startedAt'>, extension: 'json' | 'csv'): string {
  const host = targetHost(report.spec.target).replace(/[^a-z0-9.-]+/g, '_') || 'target';
  const day = new Date(report.startedAt).toISOString().slice(0, 10);
  const id = report.id.replace(/[^A-Za-z0-9_-]+/g, '');
  return `attachment; filename="stickyscope-${host}-${day}-${id}.${extension}"`;
}
