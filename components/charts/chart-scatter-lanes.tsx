'use client';

import { memo } from 'react';
import type { LaneKind, LaneView } from '@/lib/probe/lanes';
import { ChartIndexLanes, type ChartAnnotation } from './chart-index-lanes';
import { statusColor } from './palette';

export type { ChartAnnotation } from './chart-index-lanes';

const KINDS: { kind: LaneKind; label: string }[] = [
  { kind: 'ok', label: '2xx/3xx' },
  { kind: 'http-error', label: '4xx/5xx' },
  { kind: 'error', label: 'no response' },
];
const KIND_LABEL = Object.fromEntries(KINDS.map((k) => [k.kind, k.label])) as Record<LaneKind, string>;

/** Request index × replica: which replica answered each request, coloured by status, at a fixed resolution. */
export const ChartScatterLanes = memo(function ChartScatterLanes({
  view,
  label,
  annotations,
}: {
  view: LaneView;
  label: (lane: string) => string;
  annotations?: readonly ChartAnnotation[];
}) {
  const requests = view.columns * view.stride;
  return (
    <figure aria-label="Replica lane timeline" className="m-0">
      <ChartIndexLanes requests={requests} annotations={annotations} lanes={view.lanes.length} tickLabel={(i) => label(view.lanes[i] ?? '')}>
        {({ x, y, laneHeight }) =>
          view.segments.map((s, i) => {
            const left = x(s.firstColumn * view.stride);
            const right = x(Math.min(requests, (s.lastColumn + 1) * view.stride));
            const h = Math.min(18, laneHeight * 0.6);
            const range = s.fromIndex === s.toIndex ? `request ${s.fromIndex}` : `requests ${s.fromIndex}–${s.toIndex} (${s.count} answered here)`;
            return (
              <rect key={i} data-mark="lane" x={left} y={y(s.lane) - h / 2} width={Math.max(2, right - left)} height={h} fill={statusColor[s.kind]}>
                <title>{`${label(view.lanes[s.lane] ?? '')}: ${range} · ${KIND_LABEL[s.kind]}`}</title>
              </rect>
            );
          })
        }
      </ChartIndexLanes>
      <figcaption className="mt-1 flex flex-wrap gap-4 text-xs text-slate-500">
        {KINDS.map(({ kind, label: name }) => (
          <span key={kind} className="inline-flex items-center gap-1.5">
            <span aria-hidden className="inline-block h-2.5 w-2.5" style={{ background: statusColor[kind] }} />
            {name}
          </span>
        ))}
        {view.stride > 1 ? <span>each column covers {view.stride.toLocaleString('en')} requests</span> : null}
      </figcaption>
    </figure>
  );
});
