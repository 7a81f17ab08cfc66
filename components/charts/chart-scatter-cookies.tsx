'use client';

import { memo } from 'react';
import type { CookieMarkView } from '@/lib/probe/cookie-marks';
import type { CookieEventKind } from '@/lib/probe/types';
import { ChartIndexLanes, type ChartAnnotation } from './chart-index-lanes';

export const cookieEventStyle = {
  set: { label: 'set', color: '#2563eb' },
  'first-sent': { label: 'sent', color: 'var(--color-healthy)' },
  changed: { label: 'changed', color: 'var(--color-degraded)' },
  deleted: { label: 'deleted', color: '#64748b' },
  withheld: { label: 'withheld', color: '#c2410c' },
  rejected: { label: 'rejected', color: 'var(--color-down)' },
  repinned: { label: 're-pinned', color: '#7c3aed' },
} satisfies Record<CookieEventKind, { label: string; color: string }>;

const CROSSED = new Set<CookieEventKind>(['rejected', 'withheld']);
const MARK = 5;

/** Cookie events by request index, one lane per cookie name, events of a kind folded per column. */
export const ChartScatterCookies = memo(function ChartScatterCookies({ view, annotations }: { view: CookieMarkView; annotations?: readonly ChartAnnotation[] }) {
  const requests = view.columns * view.stride;
  const kinds = [...new Set(view.marks.map((m) => m.kind))];
  return (
    <figure aria-label="Cookie event timeline" className="m-0">
      <ChartIndexLanes requests={requests} annotations={annotations} lanes={view.names.length} tickLabel={(i) => view.names[i] || '(nameless)'}>
        {({ x, y }) =>
          view.marks.map((m, i) => {
            const cx = x((m.column + 0.5) * view.stride);
            const cy = y(m.lane);
            const { color, label } = cookieEventStyle[m.kind];
            const where = m.count > 1 ? `requests ${m.fromIndex}–${m.toIndex} (${m.count} times)` : `request ${m.fromIndex}`;
            const title = `${view.names[m.lane] || '(nameless)'} ${label}, ${where}${m.detail ? ` — ${m.detail}` : ''}`;
            const d = CROSSED.has(m.kind)
              ? `M${cx - MARK},${cy - MARK}L${cx + MARK},${cy + MARK}M${cx - MARK},${cy + MARK}L${cx + MARK},${cy - MARK}`
              : `M${cx},${cy - MARK}L${cx + MARK},${cy}L${cx},${cy + MARK}L${cx - MARK},${cy}Z`;
            return (
              <path key={i} data-mark="cookie" d={d} fill={CROSSED.has(m.kind) ? 'none' : color} stroke={color} strokeWidth={CROSSED.has(m.kind) ? 2 : 1}>
                <title>{title}</title>
              </path>
            );
          })
        }
      </ChartIndexLanes>
      <figcaption className="mt-1 flex flex-wrap gap-4 text-xs text-slate-500">
        {kinds.map((kind) => (
          <span key={kind} className="inline-flex items-center gap-1.5">
            <span aria-hidden className="inline-block h-2.5 w-2.5 rotate-45" style={{ background: cookieEventStyle[kind].color }} />
            {cookieEventStyle[kind].label}
          </span>
        ))}
        {view.stride > 1 ? <span>events of a kind within {view.stride.toLocaleString('en')} requests share one mark</span> : null}
      </figcaption>
    </figure>
  );
});
