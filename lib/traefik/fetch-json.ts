import 'server-only';
// One GET against the Traefik API: auth, a timeout covering headers and body, a streamed size cap, and every failure
// turned into a SourceError a person can act on.
import type { TraefikConnection } from '@/lib/config-types';
import { SourceError } from '@/lib/errors';

export type JsonResponse = { json: unknown; headers: Headers };

const UNREACHABLE_CODES = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ECONNRESET',
  'EPIPE',
  'UND_ERR_SOCKET',
  'UND_ERR_CLOSED',
]);

function authHeader(auth: TraefikConnection['auth']): Record<string, string> {
  if (!auth) return {};
  if (auth.type === 'bearer') return { Authorization: `Bearer ${auth.token}` };
  return { Authorization: `Basic ${Buffer.from(`${auth.username}:${auth.password}`).toString('base64')}` };
}

function causeCode(error: unknown): string | null {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current && typeof current === 'object'; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string') return code;
    current = (current as { cause?: unknown }).cause;
  }
  return null;
}

function isTimeout(error: unknown, signal: AbortSignal): boolean {
  if (signal.aborted) return true;
  const name = error instanceof Error ? error.name : '';
  return name === 'TimeoutError' || causeCode(error) === 'UND_ERR_CONNECT_TIMEOUT' || causeCode(error) === 'ETIMEDOUT';
}

function translateNetworkError(error: unknown, url: string, conn: TraefikConnection, signal: AbortSignal): SourceError {
  if (error instanceof SourceError) return error;
  if (isTimeout(error, signal)) {
    return new SourceError('timeout', `Traefik API at ${url} did not answer within ${conn.timeoutMs} ms.`, { cause: error });
  }
  const code = causeCode(error);
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') {
    return new SourceError('unreachable', `Cannot resolve the Traefik API host in ${url} (${code}). Check TRAEFIK_API_URL.`, { cause: error });
  }
  if (code && UNREACHABLE_CODES.has(code)) {
    return new SourceError('unreachable', `Cannot connect to the Traefik API at ${url} (${code}). Is Traefik running and the API entry point reachable?`, { cause: error });
  }
  const detail = error instanceof Error ? error.message : String(error);
  return new SourceError('unreachable', `Request to the Traefik API at ${url} failed: ${detail}`, { cause: error });
}

function statusError(status: number, url: string): SourceError {
  if (status === 401 || status === 403) {
    return new SourceError('auth', `Traefik API at ${url} refused the credentials (HTTP ${status}). Check the user/password or token.`);
  }
  if (status === 404) {
    return new SourceError('not-found', `Traefik API answered 404 for ${url}. Is this the Traefik API, and is the API enabled (api: {} / --api)?`);
  }
  if (status >= 500) return new SourceError('bad-response', `Traefik API at ${url} failed with HTTP ${status}.`);
  return new SourceError('bad-response', `Traefik API at ${url} answered HTTP ${status}, expected 200.`);
}

function tooLarge(url: string, limit: number): SourceError {
  return new SourceError('too-large', `Traefik API response from ${url} is larger than the ${limit}-byte limit (maxBodyBytes).`);
}

/** Reads the body chunk by chunk and gives up as soon as it passes `limit`, so a huge answer is never held whole. */
async function readCapped(response: Response, url: string, limit: number): Promise<string> {
  const declared = Number(response.headers.get('content-length'));
  if (Number.isFinite(declared) && declared > limit) {
    await response.body?.cancel().catch(() => undefined);
    throw tooLarge(url, limit);
  }
  if (!response.body) return '';
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  let text = '';
  let received = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    received += value.byteLength;
    if (received > limit) {
      await reader.cancel().catch(() => undefined);
      throw tooLarge(url, limit);
    }
    text += decoder.decode(value, { stream: true });
  }
  return text + decoder.decode();
}

/** GETs `url` and parses JSON; throws SourceError with a code from lib/errors on any failure. */
export async function fetchJson(url: string, conn: TraefikConnection): Promise<JsonResponse> {
  const signal = AbortSignal.timeout(conn.timeoutMs);
  try {
    const response = await fetch(url, {
      headers: { Accept: 'application/json', ...authHeader(conn.auth) },
      signal,
      redirect: 'follow',
      cache: 'no-store',
    });
    if (response.status !== 200) {
      await response.body?.cancel().catch(() => undefined);
      throw statusError(response.status, url);
    }
    const text = await readCapped(response, url, conn.maxBodyBytes);
    try {
      return { json: JSON.parse(text) as unknown, headers: response.headers };
    } catch {
      const type = response.headers.get('content-type') ?? 'no content type';
      throw new SourceError('bad-response', `Traefik API at ${url} did not return JSON (${type}, starts with ${JSON.stringify(text.slice(0, 40))}).`);
    }
  } catch (error) {
    throw translateNetworkError(error, url, conn, signal);
  }
}
