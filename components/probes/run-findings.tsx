// The probed service's configuration findings that explain what the run saw, right under the verdict: one truth
// between the probe and the findings (an lbswarm run names the lbswarm finding, a Secure cookie its finding). No hooks,
// so server pages use it too.
import type { ReactNode } from 'react';
import { findingsBehind } from '@/lib/affinity/explains';
import type { Finding } from '@/lib/affinity/types';
import type { Diagnosis } from '@/lib/probe/types';

/**
 * `findings`: the probed service's findings, when the topology knows the service. Shown through `renderFinding` (a
 * card with its fix) or else by title.
 */
export function RunFindings({
  diagnosis,
  findings = [],
  renderFinding,
}: {
  diagnosis: readonly Diagnosis[];
  findings?: readonly Finding[];
  renderFinding?: (finding: Finding) => ReactNode;
}) {
  const behind = findingsBehind(diagnosis, findings);
  if (behind.length === 0) return null;
  return (
    <section aria-label="What the configuration says" className="space-y-2 rounded-lg border border-slate-200 bg-white p-4 shadow-sm">
      <h2 className="text-sm font-semibold text-slate-800">
        The service&apos;s configuration explains it: {behind.map((f) => f.rule).join(', ')}
      </h2>
      {renderFinding ? (
        behind.map((f, i) => <div key={`${f.rule}-${i}`}>{renderFinding(f)}</div>)
      ) : (
        <ul className="list-disc pl-5 text-sm text-slate-700">
          {behind.map((f, i) => (
            <li key={`${f.rule}-${i}`}>
              <span className="font-medium">{f.title}</span> <code className="text-xs text-slate-500">{f.rule}</code>: {f.message}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
