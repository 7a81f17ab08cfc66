import 'server-only';
// One WebSocket upgrade attempt for a probe running in the browser: a page's own WebSocket cannot carry the run's
// cookie jar or an address override, so the server opens it, sends the one probe frame, and hands back the facts.
// Allowlisted exactly like every relayed request.
import { upgradeOnce } from '@/lib/probe/protocols/upgrade-node';
import { mayReachAddress, type Allowlist } from './allowlist';
import { parseInput } from '@/lib/validation';
import { allowedTarget, msSince, toRelayResult } from './relay';
import { RELAY_MAX_FRAME_BYTES, relayUpgradeSchema, type RelayResult } from './schema';

/** Enough for an answer frame or a refusal's message; the relay is not a WebSocket proxy. */
const MAX_ANSWER_BYTES = 4 * RELAY_MAX_FRAME_BYTES;

export async function relayUpgrade(input: unknown, options: { allowlist: Allowlist; signal?: AbortSignal }): Promise<RelayResult> {
  const req = parseInput(relayUpgradeSchema, input, 'relay upgrade request');
  const { url, resolve } = allowedTarget(req, options.allowlist);
  const t0 = performance.now();
  const res = await upgradeOnce(
    { url, method: 'GET', headers: req.headers, cookieHeader: req.cookie, body: req.frame },
    {
      resolve,
      timeoutMs: req.timeoutMs,
      insecureTls: req.insecureTls,
      maxBodyBytes: MAX_ANSWER_BYTES,
      allowAddress: (address) => mayReachAddress(options.allowlist, address, url.port),
    },
    options.signal,
  );
  return toRelayResult(res, { maxBodyBytes: MAX_ANSWER_BYTES, exposeHeaders: req.exposeHeaders, upstreamMs: msSince(t0) });
}
