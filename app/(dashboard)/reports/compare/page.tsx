import type { Metadata } from 'next';
import { CompareColumn } from '@/components/reports/compare-column';
import { formatTime, reportViewOf } from '@/components/reports/report-body';
import { Panel } from '@/components/ui/panel';
import { getReportStore } from '@/lib/reports';
import { compareReports, type ReportChange } from '@/lib/reports/compare';
import type { Report } from '@/lib/reports/schema';

export const metadata: Metadata = { title: 'Compare reports' };

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

const field = 'rounded border border-slate-300 bg-white px-2 py-1 text-sm';
const list = (v: string | string[] | undefined) => (Array.isArray(v) ? v : v ? [v] : []);

const MARK = { better: ['✓', 'text-healthy'], worse: ['✕', 'text-down'], other: ['•', 'text-slate-500'] } as const;
const markOf = (c: ReportChange) => MARK[c.better === null ? 'other' : c.better ? 'better' : 'worse'];

export default async function CompareReportsPage({ searchParams }: Props) {
  const params = await searchParams;
  // From the reports list (`r` twice) or from the pickers below (`a`, `b`).
  const [a = '', b = ''] = list(params.r).length ? list(params.r) : [...list(params.a).slice(0, 1), ...list(params.b).slice(0, 1)];
  const store = await getReportStore();
  const [first, second, recent] = await Promise.all([a ? store.getReport(a) : null, b ? store.getReport(b) : null, store.listReports({ limit: 200 })]);
  // Reports ticked in the list come newest first; the older run is the "before".
  const [left, right] = list(params.r).length && first && second && first.startedAt > second.startedAt ? [second, first] : [first, second];
  const missing = [a && !first ? a : null, b && !second ? b : null].filter(Boolean);

  return (
    <div className="space-y-6">
      <div>
        <h1 className="text-xl font-semibold tracking-tight">Compare reports</h1>
        <p className="mt-1 max-w-3xl text-sm text-slate-600">Two runs side by side, for before and after a fix: verdict, first break, distribution and cookie behaviour.</p>
      </div>
      <form method="get" aria-label="Choose reports" className="no-print flex flex-wrap items-end gap-3 rounded-lg border border-slate-200 bg-white p-3 text-xs text-slate-600">
        {(['a', 'b'] as const).map((name, i) => (
          <label key={name} className="flex min-w-0 flex-col gap-1">
            {i === 0 ? 'Before' : 'After'}
            <select name={name} defaultValue={(i === 0 ? left : right)?.id ?? (i === 0 ? a : b)} className={`${field} max-w-md`}>
              <option value="">choose a report…</option>
              {recent.map((r) => (
                <option key={r.id} value={r.id}>
                  {formatTime(r.startedAt)} · {r.host} · {r.verdict ?? r.status}
                </option>
              ))}
            </select>
          </label>
        ))}
        <button type="submit" className="rounded bg-slate-900 px-3 py-1.5 text-sm font-medium text-white">
          Compare
        </button>
      </form>
      {missing.length ? (
        <p role="alert" className="rounded-lg border border-down/40 bg-down/5 px-4 py-3 text-sm text-down">
          No report with id {missing.join(', ')}; it may have been deleted.
        </p>
      ) : null}
      {left && right ? <Comparison left={left} right={right} /> : !missing.length ? <p className="text-sm text-slate-500">Choose two reports to compare.</p> : null}
    </div>
  );
}

function Comparison({ left, right }: { left: Report; right: Report }) {
  const leftView = reportViewOf(left);
  const rightView = reportViewOf(right);
  const comparison = compareReports({ ...left, target: left.spec.target, view: leftView }, { ...right, target: right.spec.target, view: rightView });
  return (
    <>
      <Panel id="changes" title="What changed">
        {comparison.sameTarget ? null : (
          <p role="note" className="mb-3 rounded border border-amber-300 bg-amber-50 px-3 py-2 text-sm text-amber-900">
            These runs probed different targets ({comparison.left.target} and {comparison.right.target}): the differences are
            listed, not judged better or worse.
          </p>
        )}
        {comparison.changes.length ? (
          <ul aria-label="Changes" className="space-y-1 text-sm">
            {comparison.changes.map((c, i) => {
              const [mark, tone] = markOf(c);
              return (
                <li key={`${c.aspect}-${i}`} data-aspect={c.aspect} className="flex gap-2">
                  <span aria-hidden className={`font-bold ${tone}`}>
                    {mark}
                  </span>
                  <span>{c.text}</span>
                </li>
              );
            })}
          </ul>
        ) : (
          <p className="text-sm text-slate-500">The two runs agree on verdict, first break, distribution, cookies and errors.</p>
        )}
      </Panel>
      <div className="grid gap-6 lg:grid-cols-2 print:grid-cols-2">
        <CompareColumn title="Before" side={comparison.left} report={left} view={leftView} />
        <CompareColumn title="After" side={comparison.right} report={right} view={rightView} />
      </div>
    </>
  );
}
