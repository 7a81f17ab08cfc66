import type { ReactNode } from 'react';

export type Tone = 'healthy' | 'degraded' | 'down' | 'unknown' | 'info' | 'neutral';

const toneClasses = {
  healthy: 'bg-healthy/10 text-healthy ring-healthy/30',
  degraded: 'bg-degraded/15 text-amber-800 ring-degraded/40',
  down: 'bg-down/10 text-down ring-down/30',
  unknown: 'bg-unknown/10 text-slate-600 ring-unknown/30',
  info: 'bg-info/10 text-info ring-info/30',
  neutral: 'bg-slate-100 text-slate-700 ring-slate-200',
} satisfies Record<Tone, string>;

export function Badge({ tone = 'neutral', children, title }: { tone?: Tone; children: ReactNode; title?: string }) {
  return (
    <span
      title={title}
      className={`inline-flex items-center gap-1 rounded-full px-2 py-0.5 text-xs font-medium ring-1 ring-inset ${toneClasses[tone]}`}
    >
      {children}
    </span>
  );
}
