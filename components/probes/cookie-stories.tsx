import { Badge } from '@/components/ui/badge';
import { formatCookieAttributes } from '@/lib/probe/cookie-timeline';
import { isSameSite } from '@/lib/probe/site';
import type { CookieSummary } from '@/lib/probe/types';
import { cookieEventStyle } from '@/components/charts/chart-scatter-cookies';

function reasons(map: Partial<Record<string, number>>): string {
  return Object.entries(map)
    .filter(([, n]) => n)
    .map(([r, n]) => `${r} ×${n}`)
    .join(', ');
}

/** Per cookie: what the jar did with it over the run. */
export function CookieStories({ summary }: { summary: CookieSummary }) {
  if (summary.cookies.length === 0) {
    return <p className="text-sm text-slate-500">No cookie was set or sent in this run.</p>;
  }
  return (
    <div className="relative overflow-x-auto">
      <table aria-label="Cookies" className="w-full text-left text-sm">
        <thead className="text-xs uppercase tracking-wide text-slate-500">
          <tr className="border-b border-slate-200">
            <th className="py-1.5 pr-3 font-medium">Cookie</th>
            <th className="py-1.5 pr-3 font-medium">Attributes</th>
            <th className="py-1.5 pr-3 text-right font-medium">Set</th>
            <th className="py-1.5 pr-3 text-right font-medium">Sent</th>
            <th className="py-1.5 pr-3 text-right font-medium">Changed</th>
            <th className="py-1.5 pr-3 font-medium">Rejected</th>
            <th className="py-1.5 pr-3 font-medium">Withheld</th>
            <th className="py-1.5 text-right font-medium">Re-pinned</th>
          </tr>
        </thead>
        <tbody className="font-mono text-xs">
          {summary.cookies.map((s) => (
            <tr key={s.name} className="border-b border-slate-100 align-top last:border-0">
              <td className="py-1.5 pr-3">
                <span className="font-medium text-slate-900">{s.name || '(nameless)'}</span>{' '}
                {s.isBalancer ? <Badge tone="info">balancer</Badge> : null}
              </td>
              <td className="py-1.5 pr-3 text-slate-600">{s.attributes ? (formatCookieAttributes(s.attributes) ?? 'none') : '—'}</td>
              <td className="py-1.5 pr-3 text-right tabular-nums">{s.setCount}</td>
              <td className={`py-1.5 pr-3 text-right tabular-nums ${s.storedCount > 0 && s.sentCount === 0 ? 'text-down' : ''}`}>{s.sentCount}</td>
              <td className={`py-1.5 pr-3 text-right tabular-nums ${s.changes ? 'text-amber-700' : ''}`}>
                {s.changes}
                {s.firstChangeAt !== null ? <span className="text-slate-400"> (#{s.firstChangeAt})</span> : null}
              </td>
              <td className="py-1.5 pr-3 text-down">{reasons(s.rejected) || <span className="text-slate-400">—</span>}</td>
              <td className="py-1.5 pr-3 text-orange-700">{reasons(s.withheld) || <span className="text-slate-400">—</span>}</td>
              <td className="py-1.5 text-right tabular-nums">
                {s.repins}
                {s.firstRepin ? <span className="text-slate-400"> (#{s.firstRepin.index})</span> : null}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** The chronological event list (first of each kind per cookie, capped by the engine). */
export function CookieEventList({ summary, limit = 40 }: { summary: CookieSummary; limit?: number }) {
  const shown = summary.events.slice(0, limit);
  if (!shown.length) return null;
  const hidden = summary.events.length - shown.length + summary.droppedEvents;
  return (
    <ol aria-label="Cookie events" className="max-h-64 space-y-0.5 overflow-y-auto font-mono text-xs">
      {shown.map((e, i) => (
        <li key={i} className="flex gap-3">
          <span className="w-14 shrink-0 text-right text-slate-400 tabular-nums">#{e.index}</span>
          <span className="w-20 shrink-0 font-semibold" style={{ color: cookieEventStyle[e.kind].color }}>
            {cookieEventStyle[e.kind].label}
          </span>
          <span className="text-slate-900">{e.name || '(nameless)'}</span>
          {e.detail ? <span className="truncate text-slate-500">{e.detail}</span> : null}
        </li>
      ))}
      {hidden > 0 ? <li className="text-slate-400">… {hidden} more events</li> : null}
    </ol>
  );
}

/** What a page cannot see in direct mode, said plainly where the cookie evidence would be. */
export function DirectModeCookieNote({ target, page }: { target: string; page: string }) {
  const sameSite = isSameSite(new URL(target), new URL(page));
  const host = (u: string) => new URL(u).hostname;
  return (
    <div role="note" aria-label="Direct mode cookie limits" className="rounded border border-slate-200 bg-slate-50 px-3 py-2 text-sm text-slate-600">
      <p className="font-medium text-slate-800">Direct mode: this browser kept the run&apos;s cookies itself, out of this page&apos;s sight.</p>
      <p className="mt-1">The page saw which replica answered and with what status. It could not see:</p>
      <ul className="mt-1 list-disc space-y-0.5 pl-5">
        <li>
          any <code className="font-mono">Set-Cookie</code> header: browsers never show them to a page, so no cookie was seen being set,
          changed or rejected;
        </li>
        <li>HttpOnly cookies, which most balancer cookies are: a page cannot read them, stored or not;</li>
        <li>which cookies went with each request: the browser adds them on its own.</li>
      </ul>
      <p className="mt-1" aria-label="Site relation">
        {sameSite ? (
          <>
            This page ({host(page)}) and the target ({host(target)}) are the same site (ports do not count), so the browser sends the
            target&apos;s cookies back as it would to a user on the target itself.
          </>
        ) : (
          <>
            This page ({host(page)}) and the target ({host(target)}) are different sites: the browser sends no{' '}
            <code className="font-mono">SameSite=Lax</code> or <code className="font-mono">Strict</code> cookie with these requests (Lax is
            the default), and may refuse third-party cookies altogether, so a balancer&apos;s cookie is usually not sent back here even
            when users on the target keep theirs.
          </>
        )}{' '}
        Relay mode shows what every cookie did.
      </p>
    </div>
  );
}
