'use client';

export default function DashboardError({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return (
    <div role="alert" className="rounded-lg border border-down/40 bg-down/5 p-6">
      <h2 className="font-semibold text-down">This page could not be loaded</h2>
      <pre className="mt-2 whitespace-pre-wrap font-mono text-sm text-slate-700">{error.message}</pre>
      <button onClick={reset} className="mt-4 rounded bg-slate-900 px-3 py-1.5 text-sm text-white">
        Try again
      </button>
    </div>
  );
}
