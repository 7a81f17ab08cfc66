// Part of `npm run bench` (run by run.mjs through tsx): the browser relay path's latency per request against the
// engine's own, on one target, in one process.
//
//   relay-latency.ts <target-url> <relay-endpoint> <requests> <rounds>
//
// Both sides run the same engine loop (`runProbe`, sequential, no pacing, browser cookie rules, identity auto); only
// the transport differs: the Node transport the CLI uses, or `RelayTransport`, which sends the very JSON the Probe
// page sends to POST /api/relay. Each record's `latencyMs` is what the loop waited for that request, so for the
// relay it includes the POST, the relay's work and the JSON answer: the cost a browser run pays. Rounds alternate
// the two sides after a warm-up of each, and the lowest median of each side is kept, which damps noise from other
// work on the machine. For scale, the median of the app's emptiest route (GET /api/health) with the same client is
// measured too: the framework's floor per request, which no work in the relay can remove. Prints one JSON line.
import { runProbe } from '@/lib/probe/engine';
import { parseProbeSpec, type ProbeSpec } from '@/lib/probe/spec';
import { createNodeTransport } from '@/lib/probe/transport-node';
import type { ProbeTransport } from '@/lib/probe/types';
import { relayTransportFor } from '@/lib/relay/client';

const [target, endpoint, requestsArg, roundsArg] = process.argv.slice(2);
const requests = Number(requestsArg);
const rounds = Number(roundsArg);
if (!target || !endpoint || !Number.isInteger(requests) || requests < 10 || !Number.isInteger(rounds) || rounds < 1) {
  console.error('usage: relay-latency.ts <target-url> <relay-endpoint> <requests> <rounds>');
  process.exit(2);
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

async function medianLatency(spec: ProbeSpec, transport: ProbeTransport): Promise<number> {
  const latencies: number[] = [];
  const result = await runProbe(spec, transport, { keepRecords: false, onRecord: (r) => latencies.push(r.latencyMs) });
  if (result.verdict.errors.total > 0) throw new Error(`${result.verdict.errors.total} of ${result.verdict.total} requests failed: ${JSON.stringify(result.verdict.errors)}`);
  return median(latencies);
}

/** Median time of an empty route in the same app with the same client: the floor a relay request starts from. */
async function healthFloor(): Promise<number> {
  const url = new URL('/api/health', endpoint);
  const times: number[] = [];
  for (let i = 0; i < requests; i++) {
    const t0 = performance.now();
    const res = await fetch(url, { cache: 'no-store' });
    await res.arrayBuffer();
    times.push(performance.now() - t0);
  }
  return median(times);
}

const spec = parseProbeSpec({ target, requests, intervalMs: 0, concurrency: 1, cookies: 'browser', identity: 'auto' });
const engine = createNodeTransport({ resolve: spec.resolve, timeoutMs: spec.timeoutMs, connections: 1 });
const relay = relayTransportFor(spec, endpoint);

async function main() {
  try {
    await medianLatency(spec, engine);
    await medianLatency(spec, relay);
    await healthFloor();
    let engineMs = Infinity;
    let relayMs = Infinity;
    let floorMs = Infinity;
    for (let round = 0; round < rounds; round++) {
      if (round % 2 === 0) {
        engineMs = Math.min(engineMs, await medianLatency(spec, engine));
        relayMs = Math.min(relayMs, await medianLatency(spec, relay));
      } else {
        relayMs = Math.min(relayMs, await medianLatency(spec, relay));
        engineMs = Math.min(engineMs, await medianLatency(spec, engine));
      }
      floorMs = Math.min(floorMs, await healthFloor());
      process.stderr.write(`  relay round ${round + 1}: engine median ${engineMs.toFixed(3)} ms, relay median ${relayMs.toFixed(3)} ms, empty route ${floorMs.toFixed(3)} ms\n`);
    }
    process.stdout.write(`${JSON.stringify({ requests, engineMs, relayMs, addedMs: relayMs - engineMs, floorMs })}\n`);
  } finally {
    await engine.close();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
});
