import 'server-only';
import { ConfigError } from '@/lib/env';
import {
  BusyError,
  ForbiddenError,
  ForbiddenTargetError,
  InputError,
  MAX_ISSUE_CHARS,
  NotFoundError,
  MAX_LISTED_ISSUES,
  MAX_MESSAGE_CHARS,
  SourceError,
  TooLargeError,
  cutText,
  errorMessage,
} from '@/lib/errors';

/** `issues` lists the first problems (at most `MAX_LISTED_ISSUES`); `issueCount` counts them all. */
export type ApiErrorBody = { error: { code: string; message: string; issues?: string[]; issueCount?: number } };

/** The JSON error shape of every route, its size bounded whatever the input the message or issues quote. */
export function errorBody(code: string, message: string, issues: readonly string[] = [], issueCount = issues.length): ApiErrorBody {
  const listed = issues.slice(0, MAX_LISTED_ISSUES).map((issue) => cutText(issue, MAX_ISSUE_CHARS));
  return {
    error: {
      code,
      message: cutText(message, MAX_MESSAGE_CHARS),
      ...(listed.length ? { issues: listed, issueCount: Math.max(issueCount, listed.length) } : {}),
    },
  };
}

/** Translates our error classes into JSON HTTP responses, once, for every route. */
export function errorResponse(error: unknown): Response {
  const answer = (status: number, code: string, message: string, issues?: readonly string[], issueCount?: number, headers?: HeadersInit) =>
    Response.json(errorBody(code, message, issues, issueCount), { status, headers });
  if (error instanceof TooLargeError) return answer(413, 'too-large', error.message);
  if (error instanceof InputError) return answer(400, 'invalid-input', error.message, error.issues, error.issueCount);
  if (error instanceof ForbiddenTargetError || error instanceof ForbiddenError) return answer(403, error.code, error.message);
  if (error instanceof NotFoundError) return answer(404, error.code, error.message);
  if (error instanceof BusyError) return answer(503, error.code, error.message, [], 0, { 'Retry-After': '10' });
  if (error instanceof ConfigError) return answer(500, 'config', error.message, error.issues);
  if (error instanceof SourceError) return answer(502, error.code, error.message);
  console.error(error);
  return answer(500, 'internal', errorMessage(error));
}

export const noStore = { 'Cache-Control': 'no-store' } as const;

/** A request body over its route's limit; answered with 413 before more of it is read. */
export class BodyTooLargeError extends TooLargeError {
  constructor(limitBytes: number) {
    super(`request body is larger than ${Math.round(limitBytes / 1024)} KiB`);
    this.name = 'BodyTooLargeError';
  }
}

const JSON_TYPE = /^application\/json\s*(;|$)/i;

/**
 * The request's body as it arrives, chunk by chunk, never past `limitBytes` (413 as soon as it would be). The content
 * type must say JSON: a cross-site page can only send that after a CORS preflight, which this server never grants, so
 * no other site can make the dashboard act on a visitor's behalf.
 *
 * A caller that stops early (a refusal) gets no more chunks; what the client still sends, up to the limit, is read and
 * dropped so that the client reads the answer instead of a connection reset. Past the limit the connection is cut.
 */
export async function* readJsonBodyChunks(request: Request, limitBytes: number, hint = 'expected a JSON body'): AsyncGenerator<Uint8Array> {
  if (!JSON_TYPE.test(request.headers.get('content-type') ?? '')) {
    throw new InputError(`send the body as Content-Type: application/json (${hint})`);
  }
  const declared = Number(request.headers.get('content-length') ?? NaN);
  if (declared > limitBytes) throw new BodyTooLargeError(limitBytes);
  if (!request.body) return;
  const reader = request.body.getReader();
  let size = 0;
  let done = false;
  try {
    for (;;) {
      const next = await reader.read();
      if (next.done) {
        done = true;
        return;
      }
      size += next.value.byteLength;
      if (size > limitBytes) throw new BodyTooLargeError(limitBytes);
      yield next.value;
    }
  } finally {
    if (!done) void dropRest(reader, limitBytes - size);
  }
}

async function dropRest(reader: ReadableStreamDefaultReader<Uint8Array>, budget: number): Promise<void> {
  try {
    while (budget >= 0) {
      const next = await reader.read();
      if (next.done) return;
      budget -= next.value.byteLength;
    }
    await reader.cancel();
  } catch {
    // The client went away: nothing left to drop.
  }
}

/** The request's JSON body as bytes, read up to `limitBytes` (see `readJsonBodyChunks`). */
export async function readJsonBodyBytes(request: Request, limitBytes: number, hint = 'expected a JSON body'): Promise<Buffer> {
  const chunks: Uint8Array[] = [];
  for await (const chunk of readJsonBodyChunks(request, limitBytes, hint)) chunks.push(chunk);
  return Buffer.concat(chunks);
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * JSON from the bytes of a body. The bytes must be UTF-8 as sent: a decoder that replaced invalid bytes would hand
 * the schemas characters the client never wrote.
 */
export function parseJsonBytes(bytes: Uint8Array, hint = 'expected a JSON body'): unknown {
  let text: string;
  try {
    text = strictUtf8.decode(bytes);
  } catch {
    throw new InputError(`the body is not valid UTF-8: ${hint}`);
  }
  if (!text.trim()) throw new InputError(`the body is empty: ${hint}`);
  try {
    return JSON.parse(text);
  } catch {
    throw new InputError(`the body is not valid JSON: ${hint}`);
  }
}

/** The request's JSON body, read up to `limitBytes` (see `readJsonBodyChunks`); InputError when it is not JSON. */
export async function readJsonBody(request: Request, limitBytes: number, hint = 'expected a JSON body'): Promise<unknown> {
  return parseJsonBytes(await readJsonBodyBytes(request, limitBytes, hint), hint);
}
