import { failoverDetails, failoverHeadline } from '@/lib/experiments/describe';
import { actionInfo, type MeasuredExperiment } from '@/lib/experiments/types';

/** What each experiment did to this client, under the verdict once the run has ended. */
export function FailoverSummary({ measured }: { measured: MeasuredExperiment[] }) {
  if (!measured.length) return null;
  return (
    <section aria-label="Failover measurement" className="space-y-3 rounded-lg border border-slate-200 bg-white p-4 shadow-sm">
      {measured.map((e) => (
        <div key={e.id}>
          <p className="text-xs uppercase tracking-wide text-slate-500">
            {actionInfo[e.action].label} on {e.taskName}, after request {e.afterIndex}
          </p>
          {e.measurement ? (
            <>
              <p className="mt-0.5 font-medium text-slate-900">{failoverHeadline(e.measurement)}</p>
              <ul className="mt-1 list-disc space-y-0.5 pl-5 text-sm text-slate-700">
                {failoverDetails(e.measurement).map((line) => (
                  <li key={line}>{line}</li>
                ))}
              </ul>
            </>
          ) : (
            <p className="mt-0.5 text-sm text-down">Did not run: {e.message}</p>
          )}
        </div>
      ))}
    </section>
  );
}
