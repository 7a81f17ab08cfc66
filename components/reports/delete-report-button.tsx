'use client';

import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { deleteReport } from './report-api';

/** Deletes a report after asking; then opens `redirectTo`, or re-renders the current page. */
export function DeleteReportButton({ reportId, target, redirectTo, className }: { reportId: string; target: string; redirectTo?: string; className: string }) {
  const router = useRouter();
  const [error, setError] = useState<string | null>(null);
  async function remove() {
    if (!window.confirm(`Delete the report of ${target} and every share link to it?`)) return;
    try {
      await deleteReport(reportId);
      if (redirectTo) router.push(redirectTo);
      router.refresh();
    } catch (e) {
      setError(`The report could not be deleted: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
  return (
    <>
      <button type="button" aria-label={`Delete report of ${target}`} onClick={remove} className={className}>
        Delete
      </button>
      {error ? (
        <span role="alert" className="ml-2 text-xs text-down">
          {error}
        </span>
      ) : null}
    </>
  );
}
