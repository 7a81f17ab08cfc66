import type { ProbeProgress as Progress } from '@/lib/probe/types';
import type { RunStatus } from './use-probe-run';

function duration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  return `${Math.floor(ms / 60_000)} min ${Math.round((ms % 60_000) / 1000)} s`;
}

const STATUS_TEXT = {
  idle: 'Not started',
  running: 'Running',
  done: 'Finished',
  stopped: 'Stopped',
  failed: 'Failed',
} satisfies Record<RunStatus, string>;

export function ProbeProgressBar({ progress, status, endedEarly }: { progress: Progress; status: RunStatus; endedEarly: string | null }) {
  const total = Math.max(1, progress.total);
  const pct = Math.min(100, (progress.done / total) * 100);
  const bar = status === 'failed' ? 'bg-down' : status === 'stopped' ? 'bg-degraded' : status === 'running' ? 'bg-info' : 'bg-healthy';
  const remaining = status === 'running' && progress.rate > 0 ? ((progress.total - progress.done) / progress.rate) * 1000 : null;
  return (
    <div className="space-y-2">
      <div className="flex flex-wrap items-baseline justify-between gap-x-6 gap-y-1 text-sm">
        <span className="font-medium text-slate-800">
          {STATUS_TEXT[status]}
          {endedEarly ? <span className="font-normal text-slate-500"> · {endedEarly}</span> : null}
        </span>
        <span className="flex flex-wrap gap-x-5 font-mono text-xs text-slate-600 tabular-nums">
          <span>
            <span className="text-slate-900">{progress.done.toLocaleString('en')}</span> / {progress.total.toLocaleString('en')} requests
          </span>
          <span>{progress.rate.toFixed(progress.rate < 10 ? 1 : 0)} req/s</span>
          <span>{progress.inFlight} in flight</span>
          <span>{duration(progress.elapsedMs)} elapsed</span>
          {remaining !== null ? <span>~{duration(remaining)} left</span> : null}
        </span>
      </div>
      <div
        role="progressbar"
        aria-label="Probe progress"
        aria-valuemin={0}
        aria-valuemax={progress.total}
        aria-valuenow={progress.done}
        aria-valuetext={`${progress.done} of ${progress.total} requests`}
        className="h-2.5 overflow-hidden rounded-full bg-slate-100 ring-1 ring-inset ring-slate-200"
      >
        {/* Scaled rather than resized: a transform moves on the compositor, a width change would lay out the page each frame. */}
        <div className={`h-full w-full origin-left ${bar} transition-transform duration-200 ease-linear`} style={{ transform: `scaleX(${pct / 100})` }} />
      </div>
    </div>
  );
}
