'use client';

import type { ReactNode } from 'react';
import { CartesianGrid, ComposedChart, ResponsiveContainer, XAxis, YAxis, useXAxisScale, useYAxisScale } from 'recharts';
import { niceTicks } from '@/lib/chart-ticks';
import { axisProps } from './palette';

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
  children,
}: {
  /** Length of the x axis: the run's planned requests. */
  requests: number;
  lanes: number;
  tickLabel: (lane: number) => string;
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
        <Marks lanes={lanes}>{children}</Marks>
      </ComposedChart>
    </ResponsiveContainer>
  );
}

function Marks({ lanes, children }: { lanes: number; children: (scales: IndexLaneScales) => ReactNode }) {
  const xScale = useXAxisScale();
  const yScale = useYAxisScale();
  if (!xScale || !yScale) return null;
  const x = (n: number) => Number(xScale(n) ?? 0);
  const y = (lane: number) => Number(yScale(lane) ?? 0);
  const laneHeight = lanes > 0 ? Math.abs(y(1) - y(0)) : 0;
  return <g className="recharts-layer">{children({ x, y, laneHeight })}</g>;
}
