import 'server-only';
// The report API's side of HTTP: error translation for report errors, and share links.
import { errorBody, errorResponse, noStore } from '@/lib/http';
import { targetHost, type Report } from './schema';
import { ReportError } from './store';

export { readJsonBody, readJsonBodyChunks } from '@/lib/http';

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

/** The dashboard's own origin as the caller reached it, honouring a reverse proxy's forwarded host and scheme. */
export function publicOrigin(request: Request): string {
  const url = new URL(request.url);
  const host = request.headers.get('x-forwarded-host')?.split(',')[0]?.trim() || request.headers.get('host') || url.host;
  const proto = request.headers.get('x-forwarded-proto')?.split(',')[0]?.trim() || url.protocol.slice(0, -1);
  return `${proto}://${host}`;
}

export function shareUrl(origin: string, shareId: string): string {
  return `${origin}/r/${encodeURIComponent(shareId)}`;
}

/** `Content-Disposition` for a download named after the target and day, e.g. `stickyscope-app.example-2026-01-31-<id>.csv`. */
export function attachment(report: Pick<Report, 'id' | 'spec' | 'startedAt'>, extension: 'json' | 'csv'): string {
  const host = targetHost(report.spec.target).replace(/[^a-z0-9.-]+/g, '_') || 'target';
  const day = new Date(report.startedAt).toISOString().slice(0, 10);
  const id = report.id.replace(/[^A-Za-z0-9_-]+/g, '');
  return `attachment; filename="stickyscope-${host}-${day}-${id}.${extension}"`;
}
