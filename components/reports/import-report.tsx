'use client';

import { useRouter } from 'next/navigation';
import { useSyncExternalStore, useState } from 'react';
import { REPORT_LIMITS } from '@/lib/reports/limits';
import { importReport } from './report-api';

const noSubscription = () => () => {};

/** Imports a report exported by another stickyscope (or the CLI) and opens it. */
export function ImportReport() {
  const router = useRouter();
  const [state, setState] = useState<{ busy: boolean; error: string | null }>({ busy: false, error: null });
  // Disabled until the page is interactive: a file chosen before that would be dropped without a word.
  const interactive = useSyncExternalStore(noSubscription, () => true, () => false);

  async function onFile(file: File | undefined) {
    if (!file) return;
    if (file.size > REPORT_LIMITS.importBytes) {
      setState({ busy: false, error: `${file.name} is larger than the ${REPORT_LIMITS.importBytes / 1024 / 1024} MB a report may have.` });
      return;
    }
    setState({ busy: true, error: null });
    try {
      const { id } = await importReport(file);
      router.push(`/reports/${id}`);
    } catch (e) {
      setState({ busy: false, error: `${file.name} could not be imported: ${e instanceof Error ? e.message : String(e)}` });
    }
  }

  return (
    <div className="space-y-2 text-sm">
      <label className="inline-flex cursor-pointer items-center gap-2 rounded px-3 py-1.5 ring-1 ring-slate-300 hover:bg-slate-100">
        {state.busy ? 'Importing…' : 'Import a JSON report'}
        <input
          type="file"
          accept="application/json,.json"
          className="sr-only"
          disabled={state.busy || !interactive}
          onChange={(e) => {
            void onFile(e.target.files?.[0]);
            e.target.value = '';
          }}
        />
      </label>
      {state.error ? (
        <p role="alert" className="max-w-3xl text-down">
          {state.error}
        </p>
      ) : null}
    </div>
  );
}
