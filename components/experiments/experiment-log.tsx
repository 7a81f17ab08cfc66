import type { ExperimentLogEntry } from '@/lib/experiments/types';

const RESULT_CLASS = { ok: 'text-healthy', refused: 'text-amber-700', failed: 'text-down' } satisfies Record<ExperimentLogEntry['result'], string>;

/** The server's experiment log: every preview, confirmation and run, newest first. */
export function ExperimentLogList({ entries, error }: { entries: ExperimentLogEntry[]; error: string | null }) {
  if (error) {
    return (
      <p role="alert" className="rounded border border-down/40 bg-down/10 px-3 py-2 text-xs text-down">
        {error}
      </p>
    );
  }
  if (!entries.length) return null;
  return (
    <details className="rounded border border-slate-200 bg-slate-50/60 px-3 py-2">
      <summary className="cursor-pointer select-none text-xs font-medium text-slate-600">Experiment log ({entries.length})</summary>
      <ol aria-label="Experiment log" className="mt-2 space-y-1 text-xs">
        {entries.map((e) => (
          <li key={e.id} className="grid grid-cols-[auto_auto_1fr] gap-x-3">
            <time dateTime={e.at} className="font-mono text-slate-500">
              {new Date(e.at).toLocaleTimeString()}
            </time>
            <span className={`font-medium ${RESULT_CLASS[e.result]}`}>
              {e.step} {e.action ?? ''} {e.result}
            </span>
            <span className="text-slate-700">
              {e.service ? `${e.service} ` : ''}
              {e.message} <span className="text-slate-400">— {e.who}</span>
            </span>
          </li>
        ))}
      </ol>
    </details>
  );
}
