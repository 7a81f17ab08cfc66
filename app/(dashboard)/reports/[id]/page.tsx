import type { Metadata } from 'next';
import { notFound } from 'next/navigation';
import { cache } from 'react';
import { AutoRefresh } from '@/components/reports/auto-refresh';
import { ReportActions } from '@/components/reports/report-actions';
import { formatTime, ReportBody, reportViewOf } from '@/components/reports/report-body';
import { ShareControls } from '@/components/reports/share-controls';
import { Panel } from '@/components/ui/panel';
import { getConfig } from '@/lib/env';
import { getReportStore } from '@/lib/reports';
import { targetHost } from '@/lib/reports/schema';
import { RerunProbeLink } from './rerun-probe-link';

type Props = { params: Promise<{ id: string }> };

const getReport = cache(async (id: string) => (await getReportStore()).getReport(id));

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const report = await getReport((await params).id);
  return { title: report ? `Report · ${targetHost(report.spec.target)}` : 'Report' };
}

export default async function ReportPage({ params }: Props) {
  const { id } = await params;
  const report = await getReport(id);
  if (!report) notFound();
  return (
    <div className="space-y-6">
      {report.status === 'running' ? <AutoRefresh ms={getConfig().refreshIntervalMs} /> : null}
      <div className="flex flex-wrap items-start justify-between gap-4">
        <div>
          <h1 className="text-xl font-semibold tracking-tight">Probe of {targetHost(report.spec.target)}</h1>
          <p className="mt-1 text-xs text-slate-500">
            {formatTime(report.startedAt)} · {report.outcome?.protocol?.protocol ?? report.spec.protocol} ·{' '}
            <span className="font-mono">{report.id}</span>
          </p>
        </div>
        <ReportActions reportId={report.id} target={targetHost(report.spec.target)} />
      </div>
      <RerunProbeLink report={report} />
      <ReportBody report={report} view={reportViewOf(report)} />
      <div className="no-print">
        <Panel id="share-links" title="Share">
          <ShareControls reportId={report.id} redacted={report.redaction.onShare} stripQuery={report.redaction.stripQuery} />
        </Panel>
      </div>
    </div>
  );
}
