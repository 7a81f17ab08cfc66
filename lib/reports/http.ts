import 'server-only';
// The report API's side of HTTP: bounded JSON bodies, error translation for report errors, and share links.
import { InputError } from '@/lib/errors';
import { errorResponse, noStore } from '@/lib/http';
import { targetHost, type Report } from './schema';
import { ReportError } from './store';

/** A request body over its route's limit; answered with 413 before more of it is read. */
export class BodyTooLargeError extends InputError {
  constructor(limitBytes: number) {
    super(`request body is larger than ${Math.round(limitBytes / 1024)} KiB`);
    this.name = 'BodyTooLargeError';
  }
}

export async function readJsonBody(request: Request, limitBytes: number): Promise<unknown> {
  const declared = Number(request.headers.get('content-length') ?? NaN);
  if (declared > limitBytes) throw new BodyTooLargeError(limitBytes);
  const chunks: Uint8Array[] = [];
  let size = 0;
  if (request.body) {
    const reader = request.body.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.byteLength;
      if (size > limitBytes) {
        await reader.cancel();
        throw new BodyTooLargeError(limitBytes);
      }
      chunks.push(value);
    }
  }
  const text = Buffer.concat(chunks).toString('utf8');
  if (!text.trim()) throw new InputError('expected a JSON body');
  try {
    return JSON.parse(text);
  } catch {
    throw new InputError('the body is not valid JSON');
  }
}

export function jsonResponse(body: unknown, init: { status?: number; headers?: Record<string, string> } = {}): Response {
  return Response.json(body, { status: init.status ?? 200, headers: { ...noStore, ...init.headers } });
}

/** `errorResponse` plus the report store's errors and oversized bodies; never cached. */
export function reportErrorResponse(error: unknown): Response {
  let response: Response;
  if (error instanceof ReportError) {
    response = Response.json({ error: { code: error.code, message: error.message } }, { status: error.code === 'not-found' ? 404 : 409 });
  } else if (error instanceof BodyTooLargeError) {
    response = Response.json({ error: { code: 'too-large', message: error.message } }, { status: 413 });
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
