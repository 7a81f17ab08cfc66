'use client';

import Link from 'next/link';
import { useState } from 'react';
import type { ReportWriterState } from '@/lib/reports/writer';
import { exportCsvHref, exportJsonHref } from './report-api';
import { ShareControls } from './share-controls';
import type { ReportSavingOptions } from './use-report-saving';

const PHASE_TEXT = {
  creating: 'Saving the run as a report…',
  writing: 'Saving the run as a report',
  finishing: 'Finishing the report…',
  saved: 'Saved as a report',
  failed: 'The run could not be saved completely',
} satisfies Record<ReportWriterState['phase'], string>;

function Check({ label, checked, disabled, onChange }: { label: string; checked: boolean; disabled: boolean; onChange: (v: boolean) => void }) {
  return (
    <label className="inline-flex items-center gap-1.5">
      <input type="checkbox" checked={checked} disabled={disabled} onChange={(e) => onChange(e.target.checked)} />
      {label}
    </label>
  );
}

/** Below the probe form: how runs are saved, and for the last run, its report (open, export, share). */
export function RunReportPanel({
  state,
  redaction,
  options,
  onOptionsChange,
  running,
}: {
  state: ReportWriterState | null;
  redaction: { onShare: boolean; stripQuery: boolean } | null;
  options: ReportSavingOptions;
  onOptionsChange: (options: ReportSavingOptions) => void;
  running: boolean;
}) {
  const [sharing, setSharing] = useState(false);
  const set = (change: Partial<ReportSavingOptions>) => onOptionsChange({ ...options, ...change });
  const id = state?.reportId ?? null;
  return (
    <section aria-label="Report" className="no-print space-y-3 rounded-lg border border-slate-200 bg-white p-4 text-sm shadow-sm">
      <div className="flex flex-wrap items-center gap-x-5 gap-y-2 text-slate-700">
        <Check label="Save each run as a report" checked={options.enabled} disabled={running} onChange={(enabled) => set({ enabled })} />
        <Check
          label="Redact shared links"
          checked={options.redactOnShare}
          disabled={running || !options.enabled}
          onChange={(redactOnShare) => set({ redactOnShare })}
        />
        <Check
          label="Strip query strings from shared links"
          checked={options.stripQuery}
          disabled={running || !options.enabled || !options.redactOnShare}
          onChange={(stripQuery) => set({ stripQuery })}
        />
      </div>
      {state ? (
        <div className="space-y-3 border-t border-slate-100 pt-3">
          <p role="status" aria-label="Report saving" className={state.phase === 'failed' ? 'text-down' : 'text-slate-700'}>
            <span className="font-medium">{PHASE_TEXT[state.phase]}</span>
            {state.phase !== 'creating' ? (
              <span className="ml-2 text-slate-500">
                {state.saved.toLocaleString('en')} records saved
                {state.pending ? `, ${state.pending.toLocaleString('en')} waiting` : ''}
                {state.lost ? `, ${state.lost.toLocaleString('en')} not saved` : ''}
              </span>
            ) : null}
            {state.problem ? <span className="mt-1 block text-xs">{state.problem}</span> : null}
          </p>
          {id ? (
            <div className="flex flex-wrap items-center gap-2">
              <Link href={`/reports/${id}`} className="rounded bg-slate-900 px-3 py-1.5 font-medium text-white">
                Open report
              </Link>
              <a href={exportJsonHref(id)} className="rounded px-3 py-1.5 ring-1 ring-slate-300 hover:bg-slate-100">
                Export JSON
              </a>
              <a href={exportCsvHref(id)} className="rounded px-3 py-1.5 ring-1 ring-slate-300 hover:bg-slate-100">
                Export CSV
              </a>
              <button
                type="button"
                aria-expanded={sharing}
                onClick={() => setSharing((s) => !s)}
                className="rounded px-3 py-1.5 ring-1 ring-slate-300 hover:bg-slate-100"
              >
                Share
              </button>
            </div>
          ) : null}
          {id && sharing && redaction ? <ShareControls reportId={id} redacted={redaction.onShare} stripQuery={redaction.stripQuery} /> : null}
        </div>
      ) : null}
    </section>
  );
}
