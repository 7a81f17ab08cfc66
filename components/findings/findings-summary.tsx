import type { Finding } from '@/lib/affinity/types';
import { countBySeverity } from '@/lib/affinity/evaluate';
import { severities } from '@/lib/affinity/types';
import { SeverityBadge } from './severity-badge';

export function FindingsSummary({ findings }: { findings: Finding[] }) {
  const counts = countBySeverity(findings);
  return (
    <div aria-label="Findings by severity" className="flex items-center gap-2 text-sm">
      <span className="text-slate-600">Findings</span>
      {severities.map((severity) => (
        <SeverityBadge key={severity} severity={severity}>
          <span data-severity={severity}>{counts[severity]}</span> {severity === 'info' ? 'info' : `${severity}${counts[severity] === 1 ? '' : 's'}`}
        </SeverityBadge>
      ))}
    </div>
  );
}

export function ServiceFindingsBadge({ findings }: { findings: Finding[] }) {
  const worst = findings.find((f) => f.severity === 'error') ?? findings.find((f) => f.severity === 'warning');
  if (!worst) return null;
  const count = findings.filter((f) => f.severity === worst.severity).length;
  return (
    <SeverityBadge severity={worst.severity}>
      {count} {worst.severity}
      {count === 1 ? '' : 's'}
    </SeverityBadge>
  );
}
