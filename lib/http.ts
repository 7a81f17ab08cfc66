import 'server-only';
import { ConfigError } from '@/lib/env';
import { ForbiddenTargetError, InputError, SourceError, errorMessage } from '@/lib/errors';

export type ApiErrorBody = { error: { code: string; message: string; issues?: string[] } };

/** Translates our error classes into JSON HTTP responses, once, for every route. */
export function errorResponse(error: unknown): Response {
  const body = (code: string, message: string, issues?: string[]): ApiErrorBody => ({
    error: { code, message, ...(issues?.length ? { issues } : {}) },
  });
  if (error instanceof InputError) return Response.json(body('invalid-input', error.message, error.issues), { status: 400 });
  if (error instanceof ForbiddenTargetError) return Response.json(body(error.code, error.message), { status: 403 });
  if (error instanceof ConfigError) return Response.json(body('config', error.message, error.issues), { status: 500 });
  if (error instanceof SourceError) return Response.json(body(error.code, error.message), { status: 502 });
  console.error(error);
  return Response.json(body('internal', errorMessage(error)), { status: 500 });
}

export const noStore = { 'Cache-Control': 'no-store' } as const;

/** A request's JSON body, refused with `InputError` when larger than `maxBytes` or not JSON. */
export async function readJsonBody(request: Request, maxBytes: number): Promise<unknown> {
  const text = await request.text();
  if (text.length > maxBytes) throw new InputError('request body too large');
  try {
    return JSON.parse(text);
  } catch {
    throw new InputError('the request body must be JSON');
  }
}
