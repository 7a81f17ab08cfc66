'use client';

import { memo } from 'react';
import { Bar, BarChart, CartesianGrid, Cell, LabelList, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { ProbeSnapshot } from '@/lib/probe/types';
import { niceTicks } from '@/lib/chart-ticks';
import { axisProps, replicaColor } from './palette';

/** Responses per replica over the whole run. */
export const ChartBarDistribution = memo(function ChartBarDistribution({ snapshot, label }: { snapshot: ProbeSnapshot; label: (replica: string) => string }) {
  const rows = snapshot.replicas.map((r) => ({ id: r.id, name: label(r.id), count: r.count, pct: `${(r.share * 100).toFixed(1)}%` }));
  const most = Math.max(1, ...rows.map((r) => r.count));
  return (
    <figure aria-label="Distribution by replica" className="m-0">
      <ResponsiveContainer width="100%" height={Math.max(90, 30 + rows.length * 32)}>
        <BarChart data={rows} layout="vertical" margin={{ top: 4, right: 56, bottom: 4, left: 8 }}>
          <CartesianGrid stroke="#e2e8f0" horizontal={false} />
          <XAxis type="number" domain={[0, most]} ticks={niceTicks(0, most, 4)} allowDecimals={false} {...axisProps} />
          <YAxis type="category" dataKey="name" width={150} interval={0} {...axisProps} />
          <Tooltip isAnimationActive={false} cursor={{ fill: '#f1f5f9' }} />
          <Bar dataKey="count" name="responses" isAnimationActive={false} barSize={18}>
            {rows.map((r, i) => (
              <Cell key={r.id} fill={replicaColor(i)} />
            ))}
            <LabelList dataKey="pct" position="right" style={{ fontSize: 11, fill: '#475569' }} />
          </Bar>
        </BarChart>
      </ResponsiveContainer>
    </figure>
  );
});
