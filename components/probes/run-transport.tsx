import type { ProbeMode } from '@/lib/probe/form';

/** What the page does to reach the target, said where the run is shown. */
export function RunTransportNote({ mode, target, refused = false }: { mode: ProbeMode; target: string; refused?: boolean }) {
  const origin = new URL(target).origin;
  return (
    <p aria-label="How requests are sent" className="mb-3 text-xs text-slate-600">
      {mode === 'direct' ? (
        <>
          <span className="font-medium text-slate-800">Direct:</span> this browser fetches <span className="font-mono">{origin}</span> itself, with
          its own cookies, as a page of this dashboard. The dashboard server is not involved, so its list of allowed targets does not apply;
          the target must allow this page through CORS, and the browser alone decides which cookies go along.
        </>
      ) : (
        <>
          <span className="font-medium text-slate-800">Relay:</span> each request goes through this dashboard&apos;s server to{' '}
          <span className="font-mono">{origin}</span>
          {refused ? ', which it may only fetch when the target is allowed (see below)' : ', an allowed target'}; the page keeps the run&apos;s
          cookie jar and applies Chromium&apos;s cookie rules, so every cookie is visible.
        </>
      )}
    </p>
  );
}
