import type { ReactNode } from 'react';
import { renderFixCommand, renderFixYaml } from '@/lib/affinity/fix';
import type { Finding } from '@/lib/affinity/types';
import { CopyBlock } from '@/components/ui/copy-block';
import { SeverityBadge } from './severity-badge';

/** `action` sits under the suggested fix, e.g. applying it to the demo lab. */
export function FindingCard({ finding, action }: { finding: Finding; action?: ReactNode }) {
  const yaml = finding.fix ? renderFixYaml(finding.fix, { name: finding.service, stack: finding.stack }) : null;
  const command = finding.fix ? renderFixCommand(finding.fix, finding.service) : null;
  return (
    <article aria-label={finding.title} data-rule={finding.rule} className="space-y-3 rounded-lg border border-slate-200 p-4">
      <header className="flex flex-wrap items-center gap-2">
        <SeverityBadge severity={finding.severity} />
        <h3 className="font-medium">{finding.title}</h3>
        <code className="text-xs text-slate-500">{finding.rule}</code>
      </header>
      <p className="text-sm text-slate-700">{finding.message}</p>
      {finding.evidence.length > 0 ? (
        <dl className="grid grid-cols-[max-content_1fr] gap-x-4 gap-y-0.5 text-xs">
          {finding.evidence.map((e, i) => (
            <div key={`${e.label}-${i}`} className="contents">
              <dt className="text-slate-500">{e.label}</dt>
              <dd className="break-all font-mono">{e.value}</dd>
            </div>
          ))}
        </dl>
      ) : null}
      {yaml || command ? (
        <div className="grid gap-3 xl:grid-cols-2">
          {yaml ? <CopyBlock label="Stack file labels" text={yaml} /> : null}
          {command ? <CopyBlock label="docker service update" text={command} /> : null}
        </div>
      ) : null}
      {finding.fix?.note ? <p className="text-sm text-slate-600">{finding.fix.note}</p> : null}
      {action}
      <a href={finding.docs} target="_blank" rel="noreferrer" className="text-xs text-info hover:underline">
        Documentation
      </a>
    </article>
  );
}
