'use client';

import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { LatencyStats } from '@/lib/probe/types';
import { axisProps } from './palette';

const ms = (v: number) => (v >= 100 ? `${Math.round(v)} ms` : `${v.toFixed(1)} ms`);

/** p50 / p95 / p99 latency per replica (quantiles from the engine's histogram, within ~5%). */
export function ChartBarLatency({ latency, label }: { latency: LatencyStats[]; label: (replica: string) => string }) {
  const rows = latency.map((l) => ({ name: l.replica === null ? 'no identity' : label(l.replica), p50: l.p50Ms, p95: l.p95Ms, p99: l.p99Ms, n: l.count }));
  return (
    <figure aria-label="Latency by replica" className="m-0">
      <ResponsiveContainer width="100%" height={200}>
        <BarChart data={rows} margin={{ top: 8, right: 16, bottom: 4, left: 0 }}>
          <CartesianGrid stroke="#e2e8f0" vertical={false} />
          <XAxis dataKey="name" interval={0} {...axisProps} />
          <YAxis tickFormatter={(v: number) => `${v}`} width={40} {...axisProps} />
          <Tooltip isAnimationActive={false} formatter={(v) => ms(Number(v))} cursor={{ fill: '#f1f5f9' }} />
          <Legend iconSize={9} wrapperStyle={{ fontSize: 11 }} />
          <Bar dataKey="p50" fill="#93c5fd" isAnimationActive={false} />
          <Bar dataKey="p95" fill="#3b82f6" isAnimationActive={false} />
          <Bar dataKey="p99" fill="#1e3a8a" isAnimationActive={false} />
        </BarChart>
      </ResponsiveContainer>
    </figure>
  );
}
