import type { ReactNode } from 'react';

/** Says which lab fix was applied, where the cards below may have moved, with the way to check it: probe again. */
export function FixAppliedNotice({ summary, children }: { summary: string; children: ReactNode }) {
  return (
    <div role="status" aria-label="Fix applied" className="flex flex-wrap items-center gap-3 rounded border border-healthy/40 bg-healthy/5 px-3 py-2 text-sm">
      <span>
        Applied to the lab: {summary}. A new probe shows whether users now stay on one replica.
      </span>
      {children}
    </div>
  );
}
