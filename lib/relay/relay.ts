import 'server-only';
// One upstream request per call, for a probe loop running in the browser. The browser keeps the cookie jar and
// judges the response; the relay only sends what it is given and hands back the raw facts.
//
// Each run's requests reuse keep-alive connections across relay calls, as a browser would: the relay keeps a
// transport per run and destination (see ./transports.ts), never shared with another run.
import { ForbiddenTargetError, InputError } from '@/lib/errors';
import { parseInput } from '@/lib/validation';
import { toResolveOverride, type ResolveOverride } from '@/lib/probe/resolve';
import type { TransportRequest } from '@/lib/probe/types';
import { toProbeUrl } from '@/lib/probe/url';
import { checkTarget, mayReachAddress, type Allowlist } from './allowlist';
import type { ProbeUrl, TransportResult } from '@/lib/probe/types';
import { RELAY_BASE_HEADERS, relayRequestSchema, type RelayRequest, type RelayResult } from './schema';
import { withRunTransport } from './transports';

export function parseRelayRequest(input: unknown): RelayRequest {
  return parseInput(relayRequestSchema, input, 'relay request');
}

export function toOverrides(req: Pick<RelayRequest, 'resolve'>): ResolveOverride[] {
  return req.resolve.map((r) => {
    const parsed = toResolveOverride(r.host, r.port, r.address);
    if (typeof parsed === 'string') throw new InputError(`invalid relay request: resolve: ${parsed}`, [parsed]);
    return parsed;
  });
}

function pickHeaders(all: Readonly<Record<string, string>>, extra: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of RELAY_BASE_HEADERS) if (all[name] !== undefined) out[name] = all[name];
  for (const name of extra) if (all[name] !== undefined) out[name] = all[name];
  return out;
}

/** The facts of one upstream exchange as the browser gets them: only the headers it may see, the body up to its cap. */
export function toRelayResult(res: TransportResult, options: { maxBodyBytes: number; exposeHeaders: readonly string[]; upstreamMs: number }): RelayResult {
  const { upstreamMs } = options;
  if (!res.ok) return { ok: false, error: res.error, upstreamMs };
  const cut = res.bodyPrefix.length > options.maxBodyBytes;
  return {
    ok: true,
    status: res.status,
    headers: pickHeaders(res.headers, options.exposeHeaders),
    setCookie: [...res.setCookie],
    bodyPrefix: cut ? res.bodyPrefix.slice(0, options.maxBodyBytes) : res.bodyPrefix,
    bodyTruncated: res.bodyTruncated || cut,
    ttfbMs: res.ttfbMs,
    upstreamMs,
  };
}

/** The request's URL and overrides, once the allowlist says yes; throws `ForbiddenTargetError` otherwise. */
export function allowedTarget(req: Pick<RelayRequest, 'url' | 'resolve'>, allowlist: Allowlist): { url: ProbeUrl; resolve: ResolveOverride[] } {
  const url = toProbeUrl(req.url);
  const resolve = toOverrides(req);
  const check = checkTarget(allowlist, url, resolve);
  if (!check.ok) throw new ForbiddenTargetError(check.message);
  return { url, resolve };
}

/**
 * Validates, checks the allowlist (throws `ForbiddenTargetError`), sends exactly one request and returns its
 * result. Network failures are results, not throws.
 */
export async function relayRequest(input: unknown, options: { allowlist: Allowlist; signal?: AbortSignal }): Promise<RelayResult> {
  const req = parseRelayRequest(input);
  const { allowlist } = options;
  const { url, resolve } = allowedTarget(req, allowlist);
  const request: TransportRequest = { url, method: req.method, headers: req.headers, cookieHeader: req.cookie, body: req.body };
  const destination = {
    run: req.run,
    origin: url.origin,
    resolve,
    timeoutMs: req.timeoutMs,
    insecureTls: req.insecureTls,
    connections: req.connections,
    allowAddress: (address: string) => mayReachAddress(allowlist, address, url.port),
  };
  const t0 = performance.now();
  const res = await withRunTransport(destination, (transport) => transport.send(request, options.signal));
  return toRelayResult(res, { maxBodyBytes: req.maxBodyBytes, exposeHeaders: req.exposeHeaders, upstreamMs: msSince(t0) });
}

export function msSince(t0: number): number {
  return Math.round((performance.now() - t0) * 1000) / 1000;
}
