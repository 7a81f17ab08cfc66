// Plain-text rendering of findings for the `stickyscope lint` command.
import { countBySeverity } from './evaluate';
import { renderFixCommand } from './fix';
import type { Finding } from './types';

/** A finding as printed: from this process's rules, or a dashboard's, which may know rules this one does not. */
export type PrintableFinding = Omit<Finding, 'rule' | 'stack'> & { rule: string };

function formatFinding(f: PrintableFinding): string {
  const lines = [`${f.severity.toUpperCase()}  ${f.service}  ${f.rule}: ${f.title}`, `  ${f.message}`];
  for (const e of f.evidence) lines.push(`    ${e.label}: ${e.value}`);
  const command = f.fix ? renderFixCommand(f.fix, f.service) : null;
  if (command) lines.push(`  fix: ${command}`);
  if (f.fix?.note) lines.push(`  note: ${f.fix.note}`);
  lines.push(`  docs: ${f.docs}`);
  return lines.join('\n');
}

export function formatFindings(findings: readonly PrintableFinding[]): string {
  const c = countBySeverity(findings);
  const summary = `${c.error} error${c.error === 1 ? '' : 's'}, ${c.warning} warning${c.warning === 1 ? '' : 's'}, ${c.info} info`;
  if (findings.length === 0) return `No affinity findings.\n`;
  return `${findings.map(formatFinding).join('\n\n')}\n\n${summary}\n`;
}

/** 1 when any finding is an error, so `stickyscope lint` can gate a deploy; 0 otherwise. */
export function lintExitCode(findings: readonly Pick<Finding, 'severity'>[]): 0 | 1 {
  return findings.some((f) => f.severity === 'error') ? 1 : 0;
}
