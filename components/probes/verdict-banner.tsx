import type { Diagnosis, StickyVerdict } from '@/lib/probe/types';
import { describeFirstBreak, describePass } from '@/lib/probe/verdict';
import type { RunStatus } from './use-probe-run';

const SEVERITY = {
  error: { mark: '✕', className: 'text-down' },
  warning: { mark: '!', className: 'text-amber-700' },
  info: { mark: 'i', className: 'text-info' },
} satisfies Record<Diagnosis['severity'], { mark: string; className: string }>;

/** Renders `code spans` in diagnosis messages as code. */
export function DiagnosisMessage({ text }: { text: string }) {
  const parts = text.split('`');
  return (
    <>
      {parts.map((p, i) =>
        i % 2 === 1 ? (
          <code key={i} className="rounded bg-slate-100 px-1 font-mono text-[0.85em]">
            {p}
          </code>
        ) : (
          <span key={i}>{p}</span>
        ),
      )}
    </>
  );
}

function seconds(ms: number | null): string {
  return ms === null ? '' : ` at ${(ms / 1000).toFixed(2)} s`;
}

export function VerdictBanner({
  verdict,
  diagnosis,
  status,
  label,
}: {
  verdict: StickyVerdict;
  diagnosis: Diagnosis[];
  status: RunStatus;
  label: (replica: string) => string;
}) {
  const provisional = status === 'running';
  const tone =
    verdict.status === 'pass'
      ? 'border-healthy/50 bg-healthy/5'
      : verdict.status === 'fail'
        ? 'border-down/50 bg-down/5'
        : 'border-slate-300 bg-white';
  const word = verdict.status === 'pass' ? 'PASS' : verdict.status === 'fail' ? 'FAIL' : 'INCONCLUSIVE';
  const wordClass = verdict.status === 'pass' ? 'bg-healthy text-white' : verdict.status === 'fail' ? 'bg-down text-white' : 'bg-slate-500 text-white';
  const headline =
    verdict.status === 'pass'
      ? `Sticky: ${describePass(verdict, label)}`
      : verdict.status === 'fail'
        ? `Not sticky: ${describeFirstBreak(verdict, label)}${seconds(verdict.firstBreakMs)}`
        : verdict.successful === 0
          ? `No verdict: none of the ${verdict.total.toLocaleString('en')} requests got a successful response`
          : `Not enough evidence: only ${verdict.identified} successful responses named a replica`;
  return (
    <section aria-label="Verdict" aria-live="polite" className={`rounded-lg border-2 ${tone} p-4 shadow-sm`}>
      <div className="flex flex-wrap items-start gap-4">
        <span className={`rounded px-2.5 py-1 font-mono text-lg font-bold tracking-wider ${wordClass}`}>{word}</span>
        <div className="min-w-0 flex-1">
          <p className="font-medium text-slate-900">
            {headline}
            {provisional ? <span className="ml-2 text-xs font-normal text-slate-500">(so far; still running)</span> : null}
          </p>
          <dl className="mt-1 flex flex-wrap gap-x-6 gap-y-1 text-xs text-slate-600">
            <div>
              <dt className="inline">first break </dt>
              <dd className="inline font-mono text-slate-900">{verdict.firstBreakAt === null ? '—' : `#${verdict.firstBreakAt}`}</dd>
            </div>
            <div>
              <dt className="inline">switches </dt>
              <dd className="inline font-mono text-slate-900">{verdict.switches}</dd>
            </div>
            <div>
              <dt className="inline">replicas seen </dt>
              <dd className="inline font-mono text-slate-900">{Object.keys(verdict.replicas).length}</dd>
            </div>
            <div>
              <dt className="inline">successful </dt>
              <dd className="inline font-mono text-slate-900">
                {verdict.successful}/{verdict.total}
              </dd>
            </div>
            <div>
              <dt className="inline">errors </dt>
              <dd className={`inline font-mono ${verdict.errors.total ? 'text-down' : 'text-slate-900'}`}>{verdict.errors.total}</dd>
            </div>
          </dl>
        </div>
      </div>
      {diagnosis.length > 0 ? (
        <ul aria-label="Diagnosis" className="mt-3 space-y-1.5 border-t border-slate-200/70 pt-3 text-sm">
          {diagnosis.map((d, i) => (
            <li key={`${d.code}-${i}`} className="flex gap-2">
              <span aria-label={d.severity} className={`mt-0.5 inline-flex h-4 w-4 shrink-0 items-center justify-center rounded-full text-[10px] font-bold ring-1 ring-current ${SEVERITY[d.severity].className}`}>
                {SEVERITY[d.severity].mark}
              </span>
              <span className="text-slate-700">
                <DiagnosisMessage text={d.message} />
                <span className="ml-2 font-mono text-[11px] text-slate-400">{d.code}</span>
              </span>
            </li>
          ))}
        </ul>
      ) : null}
    </section>
  );
}
