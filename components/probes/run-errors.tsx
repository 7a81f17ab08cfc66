import type { ProbeErrorCode, StickyVerdict } from '@/lib/probe/types';

const HINT = {
  refused: 'nothing listens on that address and port: check the URL, the port, or the address override',
  timeout: 'no answer within the request timeout: the target is overloaded, filtered, or hangs',
  dns: 'the hostname does not resolve from the dashboard server: add an address override (host:port:address)',
  tls: 'the TLS handshake failed: wrong port for https, or an untrusted certificate',
  reset: 'the connection was cut: the target or a proxy closed it mid-request',
  unreachable: 'no route to that address from the dashboard server',
  protocol: 'the answer was not valid HTTP',
  'too-many-redirects': 'the target kept redirecting',
  aborted: 'the run was stopped while this request was in flight',
  other: '',
} satisfies Record<ProbeErrorCode, string>;

/** Request failures grouped by kind, each with what it means and the first message seen. */
export function RunErrors({ verdict, samples }: { verdict: StickyVerdict; samples: Record<string, string> }) {
  const rows = [
    ...(Object.entries(verdict.errors.byCode) as [ProbeErrorCode, number][]).map(([code, n]) => ({
      key: code,
      n,
      hint: HINT[code],
      sample: samples[code] ?? '',
    })),
    ...Object.entries(verdict.errors.byStatus).map(([status, n]) => ({ key: `HTTP ${status}`, n, hint: 'the target answered with an error status', sample: '' })),
  ];
  if (!rows.length) return null;
  return (
    <div role="alert" aria-label="Request errors" className="rounded-lg border border-down/40 bg-down/5 px-4 py-3 text-sm">
      <p className="font-medium text-down">
        {verdict.errors.total.toLocaleString('en')} of {verdict.total.toLocaleString('en')} requests failed
      </p>
      <ul className="mt-1 space-y-1">
        {rows.map((r) => (
          <li key={r.key}>
            <span className="font-mono font-semibold">{r.key}</span> ×{r.n}
            {r.hint ? <span className="text-slate-700"> — {r.hint}</span> : null}
            {r.sample ? <span className="block font-mono text-xs text-slate-500">{r.sample}</span> : null}
          </li>
        ))}
      </ul>
    </div>
  );
}
