import Link from 'next/link';
import { VerdictBanner } from '@/components/probes/verdict-banner';
import { Panel } from '@/components/ui/panel';
import type { ReportSide } from '@/lib/reports/compare';
import type { Report } from '@/lib/reports/schema';
import type { ReportView } from '@/lib/reports/view';
import { CompareDistribution } from './compare-distribution';
import { formatTime } from './report-body';
import { replicaLabeler, replicaLookup } from './replica-label';

function reasons(map: Record<string, number>): string {
  const parts = Object.entries(map).map(([r, n]) => `${r} ×${n}`);
  return parts.length ? parts.join(', ') : 'none';
}

/** One report of a comparison: verdict, first break, distribution and what the balancer cookie did. */
export function CompareColumn({ title, side, report, view }: { title: string; side: ReportSide; report: Report; view: ReportView }) {
  const service = report.topology?.service ?? null;
  const label = replicaLabeler(replicaLookup(service));
  const cookie = side.balancerCookie;
  return (
    <section aria-label={title} className="min-w-0 space-y-4">
      <div>
        <h2 className="text-sm font-semibold text-slate-800">{title}</h2>
        <Link href={`/reports/${side.id}`} className="break-all font-mono text-xs text-info hover:underline">
          {side.target}
        </Link>
        <p className="text-xs text-slate-500">
          {formatTime(side.startedAt)} · {side.status}
          {side.provisional ? ' · verdict rebuilt from the saved records' : ''}
        </p>
      </div>
      <VerdictBanner verdict={view.verdict} diagnosis={view.diagnosis} status={report.status === 'running' ? 'running' : 'done'} label={label} />
      <Panel title="First break">
        <p className="text-sm">
          {side.firstBreak
            ? `Request #${side.firstBreak.at}${side.firstBreak.ms === null ? '' : ` at ${(side.firstBreak.ms / 1000).toFixed(2)} s`}, answered by ${label(side.firstBreak.replica ?? '')}`
            : 'None: one replica answered every identified request.'}
          <span className="ml-2 text-xs text-slate-500">{side.switches} switches</span>
        </p>
      </Panel>
      <Panel title="Distribution">
        <CompareDistribution snapshot={view.snapshot} service={service} />
      </Panel>
      <Panel title="Cookie behaviour">
        {cookie ? (
          <dl className="grid grid-cols-[max-content_1fr] gap-x-4 gap-y-1 text-sm">
            <dt className="text-slate-500">balancer cookie</dt>
            <dd className="font-mono text-xs">{cookie.name}</dd>
            <dt className="text-slate-500">set / sent back</dt>
            <dd className="font-mono text-xs">
              {cookie.set} / {cookie.sent}
            </dd>
            <dt className="text-slate-500">value changes</dt>
            <dd className="font-mono text-xs">{cookie.changes}</dd>
            <dt className="text-slate-500">re-pinned</dt>
            <dd className="font-mono text-xs">{cookie.repins}</dd>
            <dt className="text-slate-500">rejected</dt>
            <dd className="font-mono text-xs">{reasons(cookie.rejected)}</dd>
            <dt className="text-slate-500">withheld</dt>
            <dd className="font-mono text-xs">{reasons(cookie.withheld)}</dd>
          </dl>
        ) : (
          <p className="text-sm text-slate-500">No balancer cookie was seen in this run.</p>
        )}
      </Panel>
    </section>
  );
}
