'use client';

import Link from 'next/link';
import { DeleteReportButton } from './delete-report-button';
import { exportCsvHref, exportJsonHref } from './report-api';

const button = 'rounded px-3 py-1.5 text-sm ring-1 ring-slate-300 hover:bg-slate-100';

/** The author's actions on a report: share (the panel at the end), export, compare, print, delete. */
export function ReportActions({ reportId, target }: { reportId: string; target: string }) {
  return (
    <div className="no-print flex flex-wrap items-center gap-2">
      <a href="#share-links-title" className={button}>
        Share…
      </a>
      <a href={exportJsonHref(reportId)} className={button}>
        Export JSON
      </a>
      <a href={exportCsvHref(reportId)} className={button}>
        Export CSV
      </a>
      <Link href={`/reports/compare?a=${encodeURIComponent(reportId)}`} className={button}>
        Compare…
      </Link>
      <PrintButton />
      <DeleteReportButton
        reportId={reportId}
        target={target}
        redirectTo="/reports"
        className="rounded px-3 py-1.5 text-sm text-down ring-1 ring-down/40 hover:bg-down/5"
      />
    </div>
  );
}

export function PrintButton() {
  return (
    <button type="button" onClick={() => window.print()} className={button}>
      Print
    </button>
  );
}
