import type { Metadata } from 'next';
import { notFound } from 'next/navigation';
import { cache } from 'react';
import { Brand } from '@/components/layout/header';
import { PrintButton } from '@/components/reports/report-actions';
import { ReportBody, reportViewOf } from '@/components/reports/report-body';
import { getReportStore } from '@/lib/reports';
import { redactionSummary } from '@/lib/reports/redaction-summary';
import { targetHost } from '@/lib/reports/schema';

// Read-only page behind a share link. Referrer-Policy, X-Robots-Tag and Cache-Control come from next.config.js, so
// they are on every /r/ response, including the 404 of an unknown, expired or revoked link.

type Props = { params: Promise<{ shareId: string }> };

const getShared = cache(async (shareId: string) => {
  const report = await (await getReportStore()).resolveShare(shareId);
  return report ? { report, view: reportViewOf(report) } : null;
});

const WORD = { pass: 'PASS', fail: 'FAIL', inconclusive: 'INCONCLUSIVE' } as const;

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const shared = await getShared((await params).shareId);
  const robots = { index: false, follow: false };
  if (!shared) return { title: 'Report not found', robots };
  const { report, view } = shared;
  const title = `${WORD[view.verdict.status]}: ${targetHost(report.spec.target)} sticky sessions`;
  const lead = view.diagnosis.find((d) => d.severity === 'error');
  const description = [view.expectation.message, lead?.message.replaceAll('`', '')].filter(Boolean).join('. ');
  return {
    title,
    description,
    robots,
    openGraph: { title, description, type: 'article', siteName: 'stickyscope' },
    twitter: { card: 'summary', title, description },
  };
}

const exportLink = 'rounded px-3 py-1.5 text-sm ring-1 ring-slate-300 hover:bg-slate-100';

/** The shared copy as files, redacted like the page. */
function SharedExportLinks({ shareId }: { shareId: string }) {
  const base = `/r/${encodeURIComponent(shareId)}`;
  return (
    <>
      <a href={`${base}/report.json`} download className={exportLink}>
        Export JSON
      </a>
      <a href={`${base}/records.csv`} download className={exportLink}>
        Export CSV
      </a>
    </>
  );
}

export default async function SharedReportPage({ params }: Props) {
  const { shareId } = await params;
  const shared = await getShared(shareId);
  if (!shared) notFound();
  const { report, view } = shared;
  const applied = report.redaction.applied;
  return (
    <>
      <header className="border-b border-slate-200 bg-white">
        <div className="mx-auto flex max-w-7xl flex-wrap items-center justify-between gap-x-4 gap-y-2 px-6 py-3">
          <Brand />
          <span className="flex flex-wrap items-center gap-x-3 gap-y-1 text-sm text-slate-500">
            Shared probe report · read-only
            <span className="no-print flex items-center gap-2">
              <SharedExportLinks shareId={shareId} />
              <PrintButton />
            </span>
          </span>
        </div>
      </header>
      <main className="mx-auto max-w-7xl space-y-6 px-6 py-6">
        <h1 className="text-xl font-semibold tracking-tight">Does {targetHost(report.spec.target)} keep each user on one replica?</h1>
        <ReportBody report={report} view={view} />
        <footer className="text-xs text-slate-500">
          {applied
            ? `Redacted for sharing: ${redactionSummary(applied.queryStrings)}.`
            : 'Shared without redaction, as chosen by the author of this report.'}
        </footer>
      </main>
    </>
  );
}
