import 'server-only';
import { ConfigError } from '@/lib/env';
import { BusyError, ForbiddenError, ForbiddenTargetError, InputError, SourceError, errorMessage } from '@/lib/errors';

export type ApiErrorBody = { error: { code: string; message: string; issues?: string[] } };

/** Translates our error classes into JSON HTTP responses, once, for every route. */
export function errorResponse(error: unknown): Response {
  const body = (code: string, message: string, issues?: string[]): ApiErrorBody => ({
    error: { code, message, ...(issues?.length ? { issues } : {}) },
  });
  if (error instanceof BodyTooLargeError) return Response.json(body('too-large', error.message), { status: 413 });
  if (error instanceof InputError) return Response.json(body('invalid-input', error.message, error.issues), { status: 400 });
  if (error instanceof ForbiddenTargetError || error instanceof ForbiddenError) return Response.json(body(error.code, error.message), { status: 403 });
  if (error instanceof BusyError) return Response.json(body(error.code, error.message), { status: 503, headers: { 'Retry-After': '10' } });
  if (error instanceof ConfigError) return Response.json(body('config', error.message, error.issues), { status: 500 });
  if (error instanceof SourceError) return Response.json(body(error.code, error.message), { status: 502 });
  console.error(error);
  return Response.json(body('internal', errorMessage(error)), { status: 500 });
}

export const noStore = { 'Cache-Control': 'no-store' } as const;

/** A request body over its route's limit; answered with 413 before more of it is read. */
export class BodyTooLargeError extends InputError {
  constructor(limitBytes: number) {
    super(`request body is larger than ${Math.round(limitBytes / 1024)} KiB`);
    this.name = 'BodyTooLargeError';
  }
}

/**
 * The request's JSON body, read up to `limitBytes`; InputError when it is not JSON (`hint` says what was expected).
 * The content type must say JSON: a cross-site page can only send that after a CORS preflight, which this server
 * never grants, so no other site can make the dashboard act on a visitor's behalf.
 */
export async function readJsonBody(request: Request, limitBytes: number, hint = 'expected a JSON body'): Promise<unknown> {
  if (!/^application\/json\s*(;|$)/i.test(request.headers.get('content-type') ?? '')) {
    throw new InputError(`send the body as Content-Type: application/json (${hint})`);
  }
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
  if (!text.trim()) throw new InputError(`the body is empty: ${hint}`);
  try {
    return JSON.parse(text);
  } catch {
    throw new InputError(`the body is not valid JSON: ${hint}`);
  }
}
