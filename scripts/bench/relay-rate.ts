// Part of `npm run bench` (run by browser-rate.mjs through tsx): the rate the relay allows without a page, i.e. the
// engine loop the Probe page runs (`runProbe` with `RelayTransport`, sequential, no pacing, browser cookie rules,
// identity auto) driven from Node against POST /api/relay. Prints one JSON line.
//
//   relay-rate.ts <target-url> <relay-endpoint> <requests> [host:port:address]…
import { runProbe } from '@/lib/probe/engine';
import { parseProbeSpec } from '@/lib/probe/spec';
import { relayTransportFor } from '@/lib/relay/client';

const [target, endpoint, requestsArg, ...resolve] = process.argv.slice(2);
const requests = Number(requestsArg);
if (!target || !endpoint || !Number.isInteger(requests) || requests < 10) {
  console.error('usage: relay-rate.ts <target-url> <relay-endpoint> <requests> [host:port:address]…');
  process.exit(2);
}

const spec = parseProbeSpec({ target, requests, intervalMs: 0, concurrency: 1, cookies: 'browser', identity: 'auto', resolve });
const relay = relayTransportFor(spec, endpoint);

runProbe(spec, relay, { keepRecords: false }).then(
  (r) => {
    if (r.verdict.errors.total > 0) throw new Error(`${r.verdict.errors.total} of ${r.verdict.total} requests failed: ${JSON.stringify(r.verdict.errors)}`);
    process.stdout.write(`${JSON.stringify({ requests: r.verdict.total, durationMs: r.durationMs, rate: (r.verdict.total * 1000) / r.durationMs, verdict: r.verdict.status })}\n`);
  },
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : String(error));
    process.exit(1);
  },
);
