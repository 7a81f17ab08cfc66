import type { ExperimentPreview } from '@/lib/experiments/types';

export const secondaryButton =
  'rounded border border-slate-300 bg-white px-3 py-1 text-sm font-medium text-slate-800 shadow-sm hover:bg-slate-50 disabled:cursor-not-allowed disabled:text-slate-400';
const dangerButton = 'rounded bg-down px-3 py-1 text-sm font-medium text-white shadow-sm hover:opacity-90 disabled:cursor-not-allowed disabled:opacity-50';

/** What a confirmation will do, exactly, with the calls it sends. */
export function ExperimentPreviewBox({ preview, onConfirm, onCancel }: { preview: ExperimentPreview; onConfirm: () => void; onCancel: () => void }) {
  return (
    <div role="group" aria-label="Experiment preview" className="space-y-2 rounded border-2 border-degraded/50 bg-degraded/5 px-3 py-2">
      <p className="font-medium text-slate-900">{preview.summary}</p>
      <ul className="space-y-0.5 font-mono text-xs text-slate-700">
        {preview.calls.map((c) => (
          <li key={c}>{c}</li>
        ))}
      </ul>
      {preview.warnings.map((w) => (
        <p key={w} className="text-xs text-amber-800">
          {w}
        </p>
      ))}
      <div className="flex items-center gap-2">
        <button type="button" className={dangerButton} onClick={onConfirm}>
          Confirm and run
        </button>
        <button type="button" className={secondaryButton} onClick={onCancel}>
          Cancel
        </button>
        <span className="text-xs text-slate-500">Confirm before {new Date(preview.expiresAt).toLocaleTimeString()}; it is logged with your address.</span>
      </div>
    </div>
  );
}
