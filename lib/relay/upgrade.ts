import 'server-only';
// One WebSocket upgrade attempt for a probe running in the browser: a page's own WebSocket cannot carry the run's
// cookie jar or an address override, so the server opens it, sends the one probe frame, and hands back the facts.
// Allowlisted exactly like every relayed request.
import { BusyError } from '@/lib/errors';
import { upgradeOnce } from '@/lib/probe/protocols/upgrade-node';
import { mayReachAddress, type Allowlist } from './allowlist';
import { parseInput } from '@/lib/validation';
import { allowedTarget, msSince, toRelayResult } from './relay';
import { RELAY_MAX_FRAME_BYTES, relayUpgradeSchema, type RelayResult } from './schema';

/** Enough for an answer frame or a refusal's message; the relay is not a WebSocket proxy. */
const MAX_ANSWER_BYTES = 4 * RELAY_MAX_FRAME_BYTES;
/** Upgrades open at once, each one socket held up to its timeout; one per protocol lane of every run is plenty. */
export const MAX_OPEN_UPGRADES = 64;

let open = 0;

export async function relayUpgrade(input: unknown, options: { allowlist: Allowlist; signal?: AbortSignal }): Promise<RelayResult> {
  const req = parseInput(relayUpgradeSchema, input, 'relay upgrade request');
  const { url, resolve } = allowedTarget(req, options.allowlist);
  if (open >= MAX_OPEN_UPGRADES) throw new BusyError(`the relay has ${MAX_OPEN_UPGRADES} WebSocket upgrades open already; try again when they have answered`);
  open++;
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
  ).finally(() => open--);
  return toRelayResult(res, { maxBodyBytes: MAX_ANSWER_BYTES, exposeHeaders: req.exposeHeaders, upstreamMs: msSince(t0) });
}
