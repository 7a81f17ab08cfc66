'use client';

import type { ReactNode } from 'react';
import { CartesianGrid, ComposedChart, ResponsiveContainer, XAxis, YAxis, useXAxisScale, useYAxisScale } from 'recharts';
import { niceTicks } from '@/lib/chart-ticks';
import { axisProps } from './palette';

/** A marked moment of the run, e.g. a failover experiment: drawn as a dashed vertical line at request index `x`. */
export type ChartAnnotation = { x: number; label: string; failed?: boolean };

/** Pixel geometry of the plot: request k spans x(k-1)…x(k); lane i is centred on y(i). */
export type IndexLaneScales = { x: (requests: number) => number; y: (lane: number) => number; laneHeight: number };

/**
 * Axes and grid for a request-index × lane chart, with the marks drawn by `children` from the chart's own scales.
 * Marks are plain SVG rather than one recharts item per mark: a recharts item costs about a millisecond to redraw,
 * and a live chart redraws while requests are in flight.
 */
export function ChartIndexLanes({
  requests,
  lanes,
  tickLabel,
  annotations = [],
  children,
}: {
  /** Length of the x axis: the run's planned requests. */
  requests: number;
  lanes: number;
  tickLabel: (lane: number) => string;
  annotations?: readonly ChartAnnotation[];
  children: (scales: IndexLaneScales) => ReactNode;
}) {
  const height = Math.max(100, 44 + lanes * 32);
  // Two rows pin the axes' data range; the marks themselves are not recharts data.
  const corners = [
    { x: 0, lane: -0.5 },
    { x: requests, lane: Math.max(0.5, lanes - 0.5) },
  ];
  return (
    <ResponsiveContainer width="100%" height={height}>
      <ComposedChart data={corners} margin={{ top: 8, right: 16, bottom: 4, left: 8 }}>
        <CartesianGrid stroke="#e2e8f0" horizontal={false} />
        <XAxis type="number" dataKey="x" domain={[0, requests]} ticks={niceTicks(0, requests, 6)} allowDecimals={false} {...axisProps} />
        <YAxis
          type="number"
          dataKey="lane"
          domain={[-0.5, Math.max(0.5, lanes - 0.5)]}
          ticks={Array.from({ length: lanes }, (_, i) => i)}
          tickFormatter={tickLabel}
          reversed
          width={150}
          interval={0}
          {...axisProps}
        />
        <Marks lanes={lanes} annotations={annotations}>
          {children}
        </Marks>
      </ComposedChart>
    </ResponsiveContainer>
  );
}

function Marks({ lanes, annotations, children }: { lanes: number; annotations: readonly ChartAnnotation[]; children: (scales: IndexLaneScales) => ReactNode }) {
  const xScale = useXAxisScale();
  const yScale = useYAxisScale();
  if (!xScale || !yScale) return null;
  const x = (n: number) => Number(xScale(n) ?? 0);
  const y = (lane: number) => Number(yScale(lane) ?? 0);
  const laneHeight = lanes > 0 ? Math.abs(y(1) - y(0)) : 0;
  const top = y(-0.5);
  const bottom = y(Math.max(0.5, lanes - 0.5));
  return (
    <g className="recharts-layer">
      {children({ x, y, laneHeight })}
      {annotations.map((a) => {
        // Request k spans x(k-1)…x(k): the event sits after request `a.x`.
        const at = x(a.x);
        const color = a.failed ? '#94a3b8' : '#7c3aed';
        return (
          <g key={`${a.x}-${a.label}`} data-mark="annotation">
            <line x1={at} x2={at} y1={Math.min(top, bottom)} y2={Math.max(top, bottom)} stroke={color} strokeDasharray="4 3" />
            <text x={at + 4} y={Math.min(top, bottom) + 10} fontSize={10} fill={color}>
              {a.label}
            </text>
          </g>
        );
      })}
    </g>
  );
}
