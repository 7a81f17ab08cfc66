'use client';

import { CartesianGrid, ReferenceLine, ResponsiveContainer, Scatter, ScatterChart, Tooltip, XAxis, YAxis, ZAxis } from 'recharts';
import type { LaneKind, LanePoint, LaneView } from '@/lib/probe/lanes';
import { axisProps, statusColor } from './palette';

const KINDS: { kind: LaneKind; label: string }[] = [
  { kind: 'ok', label: '2xx/3xx' },
  { kind: 'http-error', label: '4xx/5xx' },
  { kind: 'error', label: 'no response' },
];

/** A marked moment of the run, e.g. a failover experiment: drawn as a vertical line at request index `x`. */
export type ChartAnnotation = { x: number; label: string; failed?: boolean };

export function AnnotationLines({ annotations }: { annotations: readonly ChartAnnotation[] }) {
  return annotations.map((a) => (
    <ReferenceLine key={`${a.x}-${a.label}`} x={a.x} stroke={a.failed ? '#94a3b8' : '#7c3aed'} strokeDasharray="4 3" label={{ value: a.label, position: 'insideTopLeft', fontSize: 10, fill: '#7c3aed' }} />
  ));
}

/** Request index × replica: which replica answered each request, coloured by status. */
export function ChartScatterLanes({
  view,
  total,
  label,
  annotations = [],
}: {
  view: LaneView;
  total: number;
  label: (lane: string) => string;
  annotations?: readonly ChartAnnotation[];
}) {
  const height = Math.max(120, 44 + view.lanes.length * 34);
  const byKind = new Map<LaneKind, LanePoint[]>(KINDS.map((k) => [k.kind, []]));
  for (const p of view.points) byKind.get(p.kind)!.push(p);
  return (
    <figure aria-label="Replica lane timeline" className="m-0">
      <ResponsiveContainer width="100%" height={height}>
        <ScatterChart margin={{ top: 8, right: 16, bottom: 4, left: 8 }}>
          <CartesianGrid stroke="#e2e8f0" horizontal={false} />
          <XAxis
            type="number"
            dataKey="fromIndex"
            name="request"
            domain={[1, Math.max(2, total)]}
            allowDecimals={false}
            {...axisProps}
          />
          <YAxis
            type="number"
            dataKey="lane"
            domain={[-0.5, Math.max(0.5, view.lanes.length - 0.5)]}
            ticks={view.lanes.map((_, i) => i)}
            tickFormatter={(i: number) => label(view.lanes[i] ?? '')}
            reversed
            width={150}
            interval={0}
            {...axisProps}
          />
          <ZAxis range={[view.stride > 1 ? 28 : 36, view.stride > 1 ? 28 : 36]} />
          <Tooltip
            isAnimationActive={false}
            cursor={false}
            content={({ active, payload }) => {
              const p = active ? (payload?.[0]?.payload as LanePoint | undefined) : undefined;
              if (!p) return null;
              return (
                <div className="rounded border border-slate-200 bg-white px-2 py-1 text-xs shadow">
                  <div className="font-medium">{label(view.lanes[p.lane] ?? '')}</div>
                  <div>
                    {p.count > 1 ? `requests ${p.fromIndex}–${p.toIndex} (${p.count})` : `request ${p.fromIndex}`} ·{' '}
                    {KINDS.find((k) => k.kind === p.kind)?.label}
                  </div>
                </div>
              );
            }}
          />
          {KINDS.map(({ kind, label: name }) => (
            <Scatter key={kind} name={name} data={byKind.get(kind)} fill={statusColor[kind]} isAnimationActive={false} shape="square" />
          ))}
          {AnnotationLines({ annotations })}
        </ScatterChart>
      </ResponsiveContainer>
      <figcaption className="mt-1 flex flex-wrap gap-4 text-xs text-slate-500">
        {KINDS.map(({ kind, label: name }) => (
          <span key={kind} className="inline-flex items-center gap-1.5">
            <span aria-hidden className="inline-block h-2.5 w-2.5" style={{ background: statusColor[kind] }} />
            {name}
          </span>
        ))}
        {view.stride > 1 ? <span>each mark covers {view.stride} requests</span> : null}
      </figcaption>
    </figure>
  );
}
