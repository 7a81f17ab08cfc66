// Part of `npm run bench` (run by run.mjs through tsx): what speaking Shiny costs on top of the requests a run is
// made of, against real R Shiny processes behind HAProxy's cookie-insert frontend.
//
//   shiny-run.ts <app-url> <requests> <interval-ms> <rounds>
//
// Each round is one Shiny run as the CLI makes it (`auto`, which detects Shiny from the page): the page, the session
// (socket, init, config, values), then session-route requests paced `interval-ms` apart while the session stays
// open. "The requests themselves" take, back to back at that pace, the sum over the run's requests of the longer of
// the interval and the request's own latency; the run's duration over that is the overhead factor (goal < 2×). The
// best round is kept, which damps noise from other work on the machine. Prints one JSON line.
import { runProbe } from '@/lib/probe/engine';
import { nodeTransportFor } from '@/lib/probe/protocols/upgrade-node';
import { parseProbeSpec } from '@/lib/probe/spec';

const [target, requestsArg, intervalArg, roundsArg] = process.argv.slice(2);
const requests = Number(requestsArg);
const intervalMs = Number(intervalArg);
const rounds = Number(roundsArg);
if (!target || !Number.isInteger(requests) || requests < 10 || !Number.isInteger(intervalMs) || !Number.isInteger(rounds) || rounds < 1) {
  console.error('usage: shiny-run.ts <app-url> <requests> <interval-ms> <rounds>');
  process.exit(2);
}

type Round = { durationMs: number; requestsMs: number; routeRequests: number; factor: number };

async function round(): Promise<Round> {
  const spec = parseProbeSpec({ target, requests, intervalMs });
  const transport = nodeTransportFor(spec);
  try {
    const r = await runProbe(spec, transport);
    if (r.protocol.protocol !== 'shiny' || r.verdict.status !== 'pass') throw new Error(`expected a passing Shiny run, got ${r.protocol.protocol} ${r.verdict.status}: ${r.diagnosis[0]?.message ?? ''}`);
    const requestsMs = r.records.reduce((sum, x) => sum + Math.max(intervalMs, x.latencyMs), 0);
    const routeRequests = r.records.filter((x) => x.protocol?.phase === 'route').length;
    return { durationMs: r.durationMs, requestsMs, routeRequests, factor: r.durationMs / requestsMs };
  } finally {
    await transport.close();
  }
}

async function main(): Promise<void> {
  let best: Round | null = null;
  for (let i = 0; i < rounds; i++) {
    const r = await round();
    process.stderr.write(`  shiny round ${i + 1}: ${r.durationMs.toFixed(0)} ms for requests that take ${r.requestsMs.toFixed(0)} ms (${r.factor.toFixed(2)}×)\n`);
    if (best === null || r.factor < best.factor) best = r;
  }
  console.log(JSON.stringify(best));
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
});
