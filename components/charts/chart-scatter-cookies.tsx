'use client';

import { CartesianGrid, ResponsiveContainer, Scatter, ScatterChart, Tooltip, XAxis, YAxis, ZAxis } from 'recharts';
import type { CookieEventKind, CookieTimelineEvent } from '@/lib/probe/types';
import { AnnotationLines, type ChartAnnotation } from './chart-scatter-lanes';
import { axisProps } from './palette';

export const cookieEventStyle = {
  set: { label: 'set', color: '#2563eb' },
  'first-sent': { label: 'sent', color: 'var(--color-healthy)' },
  changed: { label: 'changed', color: 'var(--color-degraded)' },
  deleted: { label: 'deleted', color: '#64748b' },
  withheld: { label: 'withheld', color: '#c2410c' },
  rejected: { label: 'rejected', color: 'var(--color-down)' },
  repinned: { label: 're-pinned', color: '#7c3aed' },
} satisfies Record<CookieEventKind, { label: string; color: string }>;

type Point = CookieTimelineEvent & { lane: number };

/** Cookie events by request index, one lane per cookie name. */
export function ChartScatterCookies({
  events,
  total,
  annotations = [],
}: {
  events: CookieTimelineEvent[];
  total: number;
  annotations?: readonly ChartAnnotation[];
}) {
  const names = [...new Set(events.map((e) => e.name))];
  const lane = new Map(names.map((n, i) => [n, i]));
  const byKind = new Map<CookieEventKind, Point[]>();
  for (const e of events) {
    const list = byKind.get(e.kind) ?? [];
    list.push({ ...e, lane: lane.get(e.name)! });
    byKind.set(e.kind, list);
  }
  return (
    <figure aria-label="Cookie event timeline" className="m-0">
      <ResponsiveContainer width="100%" height={Math.max(100, 44 + names.length * 30)}>
        <ScatterChart margin={{ top: 8, right: 16, bottom: 4, left: 8 }}>
          <CartesianGrid stroke="#e2e8f0" horizontal={false} />
          <XAxis type="number" dataKey="index" domain={[1, Math.max(2, total)]} allowDecimals={false} {...axisProps} />
          <YAxis
            type="number"
            dataKey="lane"
            domain={[-0.5, Math.max(0.5, names.length - 0.5)]}
            ticks={names.map((_, i) => i)}
            tickFormatter={(i: number) => names[i] || '(nameless)'}
            reversed
            width={150}
            interval={0}
            {...axisProps}
          />
          <ZAxis range={[50, 50]} />
          <Tooltip
            isAnimationActive={false}
            cursor={false}
            content={({ active, payload }) => {
              const p = active ? (payload?.[0]?.payload as Point | undefined) : undefined;
              if (!p) return null;
              return (
                <div className="rounded border border-slate-200 bg-white px-2 py-1 text-xs shadow">
                  <div className="font-mono font-medium">{p.name || '(nameless)'}</div>
                  <div>
                    request {p.index}: {cookieEventStyle[p.kind].label}
                    {p.detail ? ` — ${p.detail}` : ''}
                  </div>
                </div>
              );
            }}
          />
          {[...byKind].map(([kind, data]) => (
            <Scatter key={kind} name={cookieEventStyle[kind].label} data={data} fill={cookieEventStyle[kind].color} isAnimationActive={false} shape={kind === 'rejected' || kind === 'withheld' ? 'cross' : 'diamond'} />
          ))}
          {AnnotationLines({ annotations })}
        </ScatterChart>
      </ResponsiveContainer>
    </figure>
  );
}
