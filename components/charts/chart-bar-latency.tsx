'use client';

import { memo } from 'react';
import { Bar, BarChart, CartesianGrid, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { LatencyStats } from '@/lib/probe/types';
import { niceTicks } from '@/lib/chart-ticks';
import { axisProps } from './palette';

const QUANTILES = [
  { key: 'p50', color: '#93c5fd' },
  { key: 'p95', color: '#3b82f6' },
  { key: 'p99', color: '#1e3a8a' },
] as const;

const ms = (v: number) => (v >= 100 ? `${Math.round(v)} ms` : `${v.toFixed(1)} ms`);

/** p50 / p95 / p99 latency per replica (quantiles from the engine's histogram, within ~5%). */
export const ChartBarLatency = memo(function ChartBarLatency({ latency, label }: { latency: LatencyStats[]; label: (replica: string) => string }) {
  const rows = latency.map((l) => ({ name: l.replica === null ? 'no identity' : label(l.replica), p50: l.p50Ms, p95: l.p95Ms, p99: l.p99Ms, n: l.count }));
  const top = Math.max(1, ...rows.map((r) => r.p99));
  return (
    <figure aria-label="Latency by replica" className="m-0">
      <ResponsiveContainer width="100%" height={200}>
        <BarChart data={rows} margin={{ top: 8, right: 16, bottom: 4, left: 0 }}>
          <CartesianGrid stroke="#e2e8f0" vertical={false} />
          <XAxis dataKey="name" interval={0} {...axisProps} />
          <YAxis domain={[0, top]} ticks={niceTicks(0, top)} width={40} {...axisProps} />
          <Tooltip isAnimationActive={false} formatter={(v) => ms(Number(v))} cursor={{ fill: '#f1f5f9' }} />
          {QUANTILES.map((q) => (
            <Bar key={q.key} dataKey={q.key} fill={q.color} isAnimationActive={false} />
          ))}
        </BarChart>
      </ResponsiveContainer>
      <figcaption className="mt-1 flex justify-center gap-4 text-xs text-slate-500">
        {QUANTILES.map((q) => (
          <span key={q.key} className="inline-flex items-center gap-1.5">
            <span aria-hidden className="inline-block h-2.5 w-2.5" style={{ background: q.color }} />
            {q.key}
          </span>
        ))}
      </figcaption>
    </figure>
  );
});
