// Plain-text rendering of a probe run for `stickyscope probe`.
import { describeFirstBreak, type ProbeResult, type ProtocolPhase, type ShinySummary } from '@/lib/probe';
import { ROUTE_LABEL } from '@/lib/probe/protocols/shiny/tally';

const BAR_WIDTH = 30;

function ms(n: number): string {
  return n >= 1000 ? `${(n / 1000).toFixed(2)} s` : `${Math.round(n)} ms`;
}

/** A readable summary: verdict line, distribution, errors, first break, diagnosis. */
export function formatProbeResult(result: ProbeResult): string {
  const v = result.verdict;
  const lines: string[] = [];
  const label = v.status === 'pass' ? 'PASS' : v.status === 'fail' ? 'FAIL' : 'INCONCLUSIVE';
  lines.push(`${label}  ${result.url.href}`);
  lines.push(`  expected ${result.expectation.expect}: ${result.expectation.holds ? 'holds' : 'does not hold'} (${result.expectation.message})`);
  const rate = result.durationMs > 0 ? (v.total * 1000) / result.durationMs : 0;
  const stopped = result.ended === 'aborted' ? `, stopped after ${v.total} of ${result.spec.requests}` : result.ended === 'first-break' ? ', stopped at the first break' : '';
  lines.push(`  ${v.total} requests in ${ms(result.durationMs)} (${Math.round(rate)}/s), concurrency ${result.spec.concurrency}, cookies ${result.spec.cookies}${stopped}`);

  lines.push('', 'Replicas');
  const counted = Object.values(v.replicas).reduce((a, b) => a + b, 0);
  const entries = Object.entries(v.replicas).sort((a, b) => b[1] - a[1]);
  if (entries.length === 0) lines.push('  (no response named a replica)');
  const width = Math.max(...entries.map(([id]) => id.length), 8);
  for (const [id, n] of entries) {
    const share = counted ? n / counted : 0;
    lines.push(`  ${id.padEnd(width)} ${String(n).padStart(6)}  ${(share * 100).toFixed(1).padStart(5)}%  ${'#'.repeat(Math.max(1, Math.round(share * BAR_WIDTH)))}`);
  }
  const unidentified = v.total - counted;
  if (unidentified > 0 && entries.length > 0) lines.push(`  ${'(unknown)'.padEnd(width)} ${String(unidentified).padStart(6)}`);

  if (v.errors.total > 0) {
    const parts = [
      ...Object.entries(v.errors.byStatus).map(([status, n]) => `${n}× HTTP ${status}`),
      ...Object.entries(v.errors.byCode).map(([code, n]) => `${n}× ${code}`),
    ];
    lines.push('', `Errors: ${v.errors.total} (${parts.join(', ')})`);
  }

  if (v.firstBreakAt !== null) {
    lines.push(
      '',
      `First break: ${describeFirstBreak(v)} at ${ms(v.firstBreakMs ?? 0)}; ${v.switches} switch${v.switches === 1 ? '' : 'es'} in all`,
    );
  }

  const { detection } = result.protocol;
  const phases = Object.entries(result.protocol.phases) as [ProtocolPhase, { ok: number; break: number; error: number }][];
  if (phases.length || detection.requested === 'auto') {
    const how = detection.requested === 'auto' ? ` (detected at request ${detection.atIndex}: ${detection.reason})` : '';
    lines.push('', `Protocol ${result.protocol.protocol}${how}`);
    for (const [phase, t] of phases) lines.push(`  ${phase.padEnd(10)} ${String(t.ok).padStart(6)} ok ${String(t.break).padStart(6)} broke ${String(t.error).padStart(6)} failed`);
  }
  if (result.protocol.shiny) lines.push('', ...formatShiny(result.protocol.shiny));

  if (result.diagnosis.length) {
    lines.push('', 'Diagnosis');
    for (const d of result.diagnosis) lines.push(`  ${d.severity.padEnd(7)} ${d.code}: ${d.message}`);
  }
  return `${lines.join('\n')}\n`;
}

/** One progress line for a terminal, rewritten in place. */
export function formatProgress(p: { done: number; total: number; rate: number; elapsedMs: number }): string {
  const width = 20;
  const filled = p.total ? Math.round((p.done / p.total) * width) : 0;
  return `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${p.done}/${p.total}  ${Math.round(p.rate)}/s  ${ms(p.elapsedMs)}`;
}

/** The Shiny facts: the session, its routes, and what the run could and could not prove. */
function formatShiny(s: ShinySummary): string[] {
  const lines = [`Shiny (${s.transport})`];
  if (s.fallback) lines.push(`  fallback  ${s.fallback}`);
  if (s.page) {
    const declared = [
      ...s.page.datatables.map((id) => `DT table \`${id}\``),
      ...s.page.downloads.map((id) => `download \`${id}\``),
      ...s.page.fileInputs.map((id) => `file input \`${id}\``),
    ];
    lines.push(`  page      shiny ${s.page.version ?? '(version not listed)'}, ${s.page.outputs} outputs${declared.length ? `: ${declared.join(', ')}` : ''}`);
  }
  if (s.first) {
    lines.push(`  session   ${s.first.sessionId} (request ${s.first.index}${s.first.replica ? `, ${s.first.replica}` : ''}), worker ${s.first.workerId ?? '(none set)'}; ${s.sessions.configured} of ${s.sessions.opened} sessions configured`);
  }
  for (const r of s.routes) lines.push(`  route     ${ROUTE_LABEL[r.kind].padEnd(9)} ${r.url}${s.probed?.kind === r.kind && s.probed.output === r.output ? '  (requested)' : ''}`);
  if (s.routes.length === 0 && s.first) lines.push('  route     (none: the app handed out no session route)');
  for (const p of s.proved) lines.push(`  proved    ${p}`);
  for (const p of s.unproved) lines.push(`  unproved  ${p}`);
  return lines;
}
