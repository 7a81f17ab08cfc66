// Plain-text rendering of a failover experiment for `stickyscope probe --experiment`.
import { failoverDetails, failoverHeadline } from '@/lib/experiments/describe';
import type { CliExperimentOutcome } from './experiment';

export function formatExperiment(outcome: CliExperimentOutcome): string {
  const lines = ['', `Failover experiment: ${outcome.action} after request ${outcome.at}`];
  const r = outcome.result;
  if (r) {
    lines.push(`  target   ${r.service.name}, task ${r.task.name} (${r.task.id.slice(0, 12)})${outcome.afterIndex !== null ? `, sent after request ${outcome.afterIndex}` : ''}`);
    for (const call of r.calls) lines.push(`  call     ${call}`);
  }
  lines.push(`  ${outcome.ok ? 'done' : 'NOT RUN'}     ${outcome.message}`);
  if (outcome.restored) lines.push(`  undone   ${outcome.restored.message}`);
  if (outcome.measurement) {
    lines.push('', `  ${failoverHeadline(outcome.measurement)}`);
    for (const line of failoverDetails(outcome.measurement)) lines.push(`    ${line}`);
  }
  return `${lines.join('\n')}\n`;
}
