import 'server-only';
import { ConfigError } from '@/lib/env';
import { ForbiddenError, ForbiddenTargetError, InputError, SourceError, errorMessage } from '@/lib/errors';

export type ApiErrorBody = { error: { code: string; message: string; issues?: string[] } };

/** Translates our error classes into JSON HTTP responses, once, for every route. */
export function errorResponse(error: unknown): Response {
  const body = (code: string, message: string, issues?: string[]): ApiErrorBody => ({
    error: { code, message, ...(issues?.length ? { issues } : {}) },
  });
  if (error instanceof InputError) return Response.json(body('invalid-input', error.message, error.issues), { status: 400 });
  if (error instanceof ForbiddenTargetError || error instanceof ForbiddenError) return Response.json(body(error.code, error.message), { status: 403 });
  if (error instanceof ConfigError) return Response.json(body('config', error.message, error.issues), { status: 500 });
  if (error instanceof SourceError) return Response.json(body(error.code, error.message), { status: 502 });
  console.error(error);
  return Response.json(body('internal', errorMessage(error)), { status: 500 });
}

export const noStore = { 'Cache-Control': 'no-store' } as const;

/** The request's JSON body; InputError when it is too large or not JSON (`hint` says what was expected). */
export async function readJsonBody(request: Request, maxBytes: number, hint: string): Promise<unknown> {
  const text = await request.text();
  if (text.length > maxBytes) throw new InputError(`request body too large (at most ${maxBytes} bytes): ${hint}`);
  try {
    return JSON.parse(text);
  } catch {
    throw new InputError(`the body is not JSON: ${hint}`);
  }
}
