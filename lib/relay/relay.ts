import 'server-only';
// One upstream request per call, for a probe loop running in the browser. The browser keeps the cookie jar and
// judges the response; the relay only sends what it is given and hands back the raw facts.
//
// Transports are kept per destination (origin, overrides, TLS, timeout, connections), so a run's requests reuse
// keep-alive connections across relay calls, as a browser would. The cache is bounded; the least recently used
// transport is closed when it overflows.
import { ForbiddenTargetError, InputError } from '@/lib/errors';
import { parseInput } from '@/lib/validation';
import { parseResolveOverride, type ResolveOverride } from '@/lib/probe/spec';
import { createNodeTransport, type NodeTransport } from '@/lib/probe/transport-node';
import type { TransportRequest } from '@/lib/probe/types';
import { toProbeUrl } from '@/lib/probe/url';
import { checkTarget, type Allowlist } from './allowlist';
import type { ProbeUrl, TransportResult } from '@/lib/probe/types';
import { RELAY_BASE_HEADERS, relayRequestSchema, type RelayRequest, type RelayResult } from './schema';

const MAX_TRANSPORTS = 32;

type Cache = Map<string, NodeTransport>;

const globalForRelay = globalThis as unknown as { stickyscopeRelayTransports?: Cache };

function transports(): Cache {
  // On globalThis so a dev-server reload does not strand open pools.
  globalForRelay.stickyscopeRelayTransports ??= new Map();
  return globalForRelay.stickyscopeRelayTransports;
}

function transportFor(req: RelayRequest, origin: string, resolve: ResolveOverride[]): NodeTransport {
  const key = JSON.stringify([origin, resolve.map((r) => `${r.host}:${r.port}:${r.address}`).sort(), req.insecureTls, req.timeoutMs, req.connections]);
  const cache = transports();
  const hit = cache.get(key);
  if (hit) {
    // Re-insert: Map order is the LRU order.
    cache.delete(key);
    cache.set(key, hit);
    return hit;
  }
  const transport = createNodeTransport({
    resolve,
    timeoutMs: req.timeoutMs,
    insecureTls: req.insecureTls,
    connections: req.connections,
  });
  cache.set(key, transport);
  while (cache.size > MAX_TRANSPORTS) {
    const [oldestKey, oldest] = cache.entries().next().value as [string, NodeTransport];
    cache.delete(oldestKey);
    void oldest.close();
  }
  return transport;
}

/** Closes every cached transport (tests, shutdown). */
export async function closeRelayTransports(): Promise<void> {
  const cache = transports();
  const all = [...cache.values()];
  cache.clear();
  await Promise.all(all.map((t) => t.close()));
}

export function parseRelayRequest(input: unknown): RelayRequest {
  return parseInput(relayRequestSchema, input, 'relay request');
}

export function toOverrides(req: Pick<RelayRequest, 'resolve'>): ResolveOverride[] {
  return req.resolve.map((r) => {
    const parsed = parseResolveOverride(`${r.host}:${r.port}:${r.address}`);
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
  const { url, resolve } = allowedTarget(req, options.allowlist);
  const transport = transportFor(req, url.origin, resolve);
  const request: TransportRequest = { url, method: req.method, headers: req.headers, cookieHeader: req.cookie, body: req.body };
  const t0 = performance.now();
  const res = await transport.send(request, options.signal);
  return toRelayResult(res, { maxBodyBytes: req.maxBodyBytes, exposeHeaders: req.exposeHeaders, upstreamMs: msSince(t0) });
}

export function msSince(t0: number): number {
  return Math.round((performance.now() - t0) * 1000) / 1000;
}
