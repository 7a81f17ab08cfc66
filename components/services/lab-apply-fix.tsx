'use client';

import { isEmptyFix } from '@/lib/affinity/fix';
import type { Fix } from '@/lib/affinity/types';
import { LabEditError } from './lab-edit-error';
import { useLabEdit } from './use-lab-edit';

/** One click from a finding's suggested label change to the demo lab running it. */
export function LabApplyFix({ serviceName, fix }: { serviceName: string; fix: Fix }) {
  const edit = useLabEdit(serviceName);
  if (isEmptyFix(fix)) return null;
  return (
    <div className="space-y-2">
      <div className="flex flex-wrap items-center gap-3">
        <button
          type="button"
          disabled={edit.isPending}
          onClick={() => edit.mutate({ kind: 'change', change: { set: fix.labelsToAdd, remove: fix.labelsToRemove } })}
          className="rounded bg-info px-3 py-1.5 text-sm font-medium text-white shadow-sm hover:bg-info/90 disabled:opacity-60"
        >
          {edit.isPending ? 'Applying…' : 'Apply this fix to the lab'}
        </button>
        <span className="text-xs text-slate-500">Changes the embedded demo lab only; the lab balancer follows it at once.</span>
      </div>
      <LabEditError error={edit.error} />
    </div>
  );
}
