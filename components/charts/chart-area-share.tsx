'use client';

import { memo } from 'react';
import { Area, AreaChart, CartesianGrid, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { ProbeSnapshot } from '@/lib/probe/types';
import { niceTicks } from '@/lib/chart-ticks';
import { axisProps, replicaColor, statusColor } from './palette';

type Row = Record<string, number>;

const SHARE_TICKS = [0, 0.25, 0.5, 0.75, 1];

function toRows(snapshot: ProbeSnapshot): Row[] {
  return snapshot.windows.map((w) => {
    const row: Row = { toIndex: w.toIndex, __none: w.unidentified };
    for (const r of snapshot.replicas) row[r.id] = w.counts[r.id] ?? 0;
    return row;
  });
}

/** Each replica's share of the responses per window of requests, stacked to 100%. */
export const ChartAreaShare = memo(function ChartAreaShare({ snapshot, label }: { snapshot: ProbeSnapshot; label: (replica: string) => string }) {
  const rows = toRows(snapshot);
  const hasUnidentified = snapshot.windows.some((w) => w.unidentified > 0);
  const from = snapshot.windows[0]?.toIndex ?? 0;
  const to = snapshot.windows[snapshot.windows.length - 1]?.toIndex ?? 0;
  return (
    <figure aria-label="Replica share over time" className="m-0">
      <ResponsiveContainer width="100%" height={200}>
        <AreaChart data={rows} stackOffset="expand" margin={{ top: 8, right: 16, bottom: 4, left: 0 }}>
          <CartesianGrid stroke="#e2e8f0" vertical={false} />
          <XAxis dataKey="toIndex" type="number" domain={[from, to]} ticks={niceTicks(from, to)} allowDecimals={false} {...axisProps} />
          <YAxis domain={[0, 1]} ticks={SHARE_TICKS} tickFormatter={(v: number) => `${Math.round(v * 100)}%`} width={40} {...axisProps} />
          <Tooltip
            isAnimationActive={false}
            labelFormatter={(v) => `up to request ${v} (windows of ${snapshot.windowSize})`}
            formatter={(value, name) => [value, name === '__none' ? 'no identity' : label(String(name))]}
          />
          {snapshot.replicas.map((r, i) => (
            <Area
              key={r.id}
              dataKey={r.id}
              name={r.id}
              stackId="share"
              type="stepAfter"
              stroke={replicaColor(i)}
              fill={replicaColor(i)}
              fillOpacity={0.75}
              isAnimationActive={false}
            />
          ))}
          {hasUnidentified ? (
            <Area dataKey="__none" stackId="share" type="stepAfter" stroke={statusColor.unknown} fill={statusColor.unknown} fillOpacity={0.5} isAnimationActive={false} />
          ) : null}
        </AreaChart>
      </ResponsiveContainer>
    </figure>
  );
});
