// The browser's own fetch as a transport ("direct" mode), for same-origin or CORS-enabled targets.
//
// The browser's real cookie jar applies: `credentials: 'include'` sends and stores cookies, but a page can never
// read `Set-Cookie` (a forbidden response header) or HttpOnly cookies, so records carry no cookie evidence and
// identity comes from headers the target exposes (CORS) or from the body. Redirects are not followed and not
// visible either: `redirect: 'manual'` yields an opaque response with status 0.
import type { ProbeError, ProbeTransport, TransportRequest, TransportResult } from './types';

export type FetchTransportOptions = {
  timeoutMs: number;
  /** `browser`: the page's cookies go along; `none`: no credentials at all. */
  cookies: 'browser' | 'none';
  maxBodyBytes?: number;
  fetch?: typeof fetch;
};

/** Headers a page may not set; fetch would drop or refuse them. */
const FORBIDDEN_REQUEST_HEADERS = new Set(['user-agent', 'referer', 'origin', 'accept-encoding', 'dnt']);

export class FetchTransport implements ProbeTransport {
  readonly seesCookies = false;
  readonly kind = 'direct';
  private readonly doFetch: typeof fetch;
  private readonly cap: number;

  constructor(private readonly options: FetchTransportOptions) {
    this.doFetch = options.fetch ?? ((input, init) => fetch(input, init));
    this.cap = options.maxBodyBytes ?? 64 * 1024;
  }

  async send(request: TransportRequest, signal?: AbortSignal): Promise<TransportResult> {
    const headers = new Headers();
    for (let i = 0; i + 1 < request.headers.length; i += 2) {
      const name = request.headers[i]!;
      if (!FORBIDDEN_REQUEST_HEADERS.has(name.toLowerCase())) headers.append(name, request.headers[i + 1]!);
    }
    const timeout = AbortSignal.timeout(this.options.timeoutMs);
    const combined = signal ? AbortSignal.any([signal, timeout]) : timeout;
    const t0 = performance.now();
    let response: Response;
    try {
      response = await this.doFetch(request.url.href, {
        method: request.method,
        headers,
        body: request.body,
        credentials: this.options.cookies === 'browser' ? 'include' : 'omit',
        redirect: 'manual',
        cache: 'no-store',
        mode: 'cors',
        signal: combined,
      });
    } catch (error) {
      return { ok: false, error: fetchError(error, signal, timeout) };
    }
    const ttfbMs = performance.now() - t0;
    if (response.type === 'opaqueredirect') {
      return {
        ok: false,
        error: { code: 'other', message: 'the target answered with a redirect; a page cannot see redirects in direct mode (use relay mode)' },
      };
    }
    const out: Record<string, string> = {};
    response.headers.forEach((value, name) => {
      out[name.toLowerCase()] = value;
    });
    let bodyPrefix = '';
    let truncated = false;
    try {
      if (response.body && request.method !== 'HEAD') {
        const reader = response.body.getReader();
        const decoder = new TextDecoder();
        let bytes = 0;
        for (;;) {
          const { done, value } = await reader.read();
          if (done) break;
          const room = this.cap - bytes;
          bodyPrefix += decoder.decode(value.length > room ? value.subarray(0, room) : value, { stream: true });
          bytes += value.length;
          if (bytes >= this.cap) {
            truncated = bytes > this.cap;
            await reader.cancel().catch(() => undefined);
            break;
          }
        }
        bodyPrefix += decoder.decode();
      }
    } catch (error) {
      return { ok: false, error: fetchError(error, signal, timeout) };
    }
    return { ok: true, status: response.status, headers: out, setCookie: [], bodyPrefix, bodyTruncated: truncated, ttfbMs };
  }
}

function fetchError(error: unknown, signal: AbortSignal | undefined, timeout: AbortSignal): ProbeError {
  if (signal?.aborted) return { code: 'aborted', message: 'the run was stopped' };
  if (timeout.aborted) return { code: 'timeout', message: 'timed out waiting for the response' };
  // Browsers report refused connections, DNS failures and CORS refusals all as one TypeError, on purpose.
  return {
    code: 'other',
    message: `the browser could not fetch it (${error instanceof Error ? error.message : String(error)}): the connection failed, or the target does not allow this origin through CORS; the browser does not say which. Relay mode can tell.`,
  };
}
