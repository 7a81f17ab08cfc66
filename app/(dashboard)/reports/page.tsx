import type { Metadata } from 'next';
import Link from 'next/link';
import { DeleteReportButton } from '@/components/reports/delete-report-button';
import { ImportReport } from '@/components/reports/import-report';
import { formatTime, STATUS_TONE } from '@/components/reports/report-body';
import { VerdictBadge } from '@/components/reports/verdict-badge';
import { Badge } from '@/components/ui/badge';
import { errorMessage } from '@/lib/errors';
import { getReportStore } from '@/lib/reports';
import { parseReportFilter } from '@/lib/reports/api-schema';
import { verdictStatuses } from '@/lib/reports/schema';
import type { ReportFilter } from '@/lib/reports/store';

export const metadata: Metadata = { title: 'Reports' };

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

const field = 'rounded border border-slate-300 bg-white px-2 py-1 text-sm';
const first = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v) ?? '';

export default async function ReportsPage({ searchParams }: Props) {
  const params = await searchParams;
  let filter: ReportFilter = {};
  let filterProblem: string | null = null;
  try {
    filter = parseReportFilter(params);
  } catch (error) {
    filterProblem = errorMessage(error);
  }
  const reports = filterProblem ? [] : await (await getReportStore()).listReports(filter);

  return (
    <div className="space-y-6">
      <div className="flex flex-wrap items-start justify-between gap-4">
        <div>
          <h1 className="text-xl font-semibold tracking-tight">Reports</h1>
          <p className="mt-1 max-w-3xl text-sm text-slate-600">
            Every probe run saved from the Probe page, and reports imported from other dashboards or the command line. Open one to
            share it, export it, or compare it with another run.
          </p>
        </div>
        <ImportReport />
      </div>

      <form method="get" aria-label="Filter reports" className="flex flex-wrap items-end gap-3 rounded-lg border border-slate-200 bg-white p-3 text-xs text-slate-600">
        <label className="flex flex-col gap-1">
          Target host
          <input name="host" defaultValue={first(params.host)} placeholder="app.example.com" className={field} />
        </label>
        <label className="flex flex-col gap-1">
          Verdict
          <select name="verdict" defaultValue={first(params.verdict)} className={field}>
            <option value="">any</option>
            {verdictStatuses.map((v) => (
              <option key={v} value={v}>
                {v}
              </option>
            ))}
          </select>
        </label>
        <label className="flex flex-col gap-1">
          From (UTC day)
          <input type="date" name="from" defaultValue={first(params.from)} className={field} />
        </label>
        <label className="flex flex-col gap-1">
          To (UTC day)
          <input type="date" name="to" defaultValue={first(params.to)} className={field} />
        </label>
        <button type="submit" className="rounded bg-slate-900 px-3 py-1.5 text-sm font-medium text-white">
          Filter
        </button>
        <Link href="/reports" className="px-1 py-1.5 text-sm text-info hover:underline">
          Clear
        </Link>
      </form>

      {filterProblem ? (
        <p role="alert" className="rounded-lg border border-down/40 bg-down/5 px-4 py-3 text-sm text-down">
          {filterProblem}
        </p>
      ) : reports.length === 0 ? (
        <p className="rounded-lg border border-dashed border-slate-300 bg-white px-6 py-10 text-center text-sm text-slate-500">
          {Object.keys(filter).length ? 'No report matches these filters.' : 'No report yet. Runs started on the Probe page are saved here.'}
        </p>
      ) : (
        <form method="get" action="/reports/compare" className="space-y-3">
          <div className="relative overflow-x-auto rounded-lg border border-slate-200 bg-white shadow-sm">
            <table aria-label="Reports" className="w-full text-left text-sm">
              <thead className="text-xs uppercase tracking-wide text-slate-500">
                <tr className="border-b border-slate-200">
                  <th className="px-3 py-2 font-medium">
                    <span className="sr-only">Compare</span>
                  </th>
                  <th className="px-3 py-2 font-medium">Started</th>
                  <th className="px-3 py-2 font-medium">Target</th>
                  <th className="px-3 py-2 font-medium">Verdict</th>
                  <th className="px-3 py-2 font-medium">Status</th>
                  <th className="px-3 py-2 text-right font-medium">Requests</th>
                  <th className="px-3 py-2 font-medium">
                    <span className="sr-only">Actions</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {reports.map((r) => (
                  <tr key={r.id} data-report={r.id} className="border-b border-slate-100 last:border-0">
                    <td className="px-3 py-2">
                      <input type="checkbox" name="r" value={r.id} aria-label={`Select the report of ${r.host} started ${formatTime(r.startedAt)} for comparison`} />
                    </td>
                    <td className="whitespace-nowrap px-3 py-2 font-mono text-xs">{formatTime(r.startedAt)}</td>
                    <td className="max-w-md truncate px-3 py-2">
                      <Link href={`/reports/${r.id}`} className="font-mono text-xs text-info hover:underline">
                        {r.target}
                      </Link>
                    </td>
                    <td className="px-3 py-2">
                      <VerdictBadge verdict={r.verdict} />
                    </td>
                    <td className="px-3 py-2">
                      <Badge tone={STATUS_TONE[r.status]}>{r.status}</Badge>
                    </td>
                    <td className="px-3 py-2 text-right font-mono text-xs">{r.records.toLocaleString('en')}</td>
                    <td className="px-3 py-2 text-right">
                      <DeleteReportButton reportId={r.id} target={r.host || r.target} className="text-xs text-down hover:underline" />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <button type="submit" className="rounded px-3 py-1.5 text-sm ring-1 ring-slate-300 hover:bg-slate-100">
            Compare the two selected
          </button>
        </form>
      )}
    </div>
  );
}
