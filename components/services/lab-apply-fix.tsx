'use client';

import { useState } from 'react';
import { isEmptyFix } from '@/lib/affinity/fix';
import type { Fix } from '@/lib/affinity/types';
import { LabEditError } from './lab-edit-error';
import { useLabEdit } from './use-lab-edit';

/** "set 2 labels and remove 1": what a fix does, in the words of the confirmation and the notice after it. */
export function fixSummary(fix: Fix): string {
  const set = Object.keys(fix.labelsToAdd).length;
  const removed = fix.labelsToRemove.length;
  const parts = [set ? `set ${set} label${set === 1 ? '' : 's'}` : '', removed ? `remove ${removed} label${removed === 1 ? '' : 's'}` : ''];
  return parts.filter(Boolean).join(' and ');
}

/**
 * From a finding's suggested label change to the demo lab running it, in two clicks: the first says what will change,
 * the second applies it. When a fix clears its finding the cards below move up, so one click never lands on the next
 * card's fix. `onApplied` lets the page say what changed once this card is gone.
 */
export function LabApplyFix({ serviceName, fix, onApplied }: { serviceName: string; fix: Fix; onApplied?: (summary: string) => void }) {
  const summary = fixSummary(fix);
  const edit = useLabEdit(serviceName, () => onApplied?.(`${summary} on ${serviceName}`));
  const [confirming, setConfirming] = useState(false);
  if (isEmptyFix(fix)) return null;
  const apply = () => edit.mutate({ kind: 'change', change: { set: fix.labelsToAdd, remove: fix.labelsToRemove } }, { onSuccess: () => setConfirming(false) });
  return (
    <div className="space-y-2">
      {confirming ? (
        <div role="group" aria-label="Confirm the fix" className="flex flex-wrap items-center gap-3">
          <span className="text-sm text-slate-700">
            {summary[0]?.toUpperCase()}
            {summary.slice(1)} on the lab&apos;s {serviceName}?
          </span>
          <button
            type="button"
            disabled={edit.isPending}
            onClick={apply}
            className="rounded bg-info px-3 py-1.5 text-sm font-medium text-white shadow-sm hover:bg-info/90 disabled:opacity-60"
          >
            {edit.isPending ? 'Applying…' : 'Confirm and apply'}
          </button>
          <button type="button" disabled={edit.isPending} onClick={() => setConfirming(false)} className="rounded px-3 py-1.5 text-sm ring-1 ring-slate-300 hover:bg-slate-100">
            Cancel
          </button>
        </div>
      ) : (
        <div className="flex flex-wrap items-center gap-3">
          <button
            type="button"
            onClick={() => setConfirming(true)}
            className="rounded bg-info px-3 py-1.5 text-sm font-medium text-white shadow-sm hover:bg-info/90"
          >
            Apply this fix to the lab
          </button>
          <span className="text-xs text-slate-500">Changes the embedded demo lab only; the lab balancer follows it at once.</span>
        </div>
      )}
      <LabEditError error={edit.error} />
    </div>
  );
}
