// Colours for charts, from the theme's CSS variables (app/globals.css) so charts and badges agree.
export const statusColor = {
  ok: 'var(--color-healthy)',
  'http-error': 'var(--color-degraded)',
  error: 'var(--color-down)',
  unknown: 'var(--color-unknown)',
} as const;

/** Categorical colours for replicas, in order of first answer; readable on white and distinct from each other. */
const REPLICA_COLORS = ['#2563eb', '#d946ef', '#0d9488', '#ea580c', '#7c3aed', '#65a30d', '#db2777', '#0891b2', '#ca8a04', '#475569'];

export function replicaColor(i: number): string {
  return REPLICA_COLORS[i % REPLICA_COLORS.length]!;
}

export const axisProps = {
  stroke: '#94a3b8',
  tick: { fontSize: 11, fill: '#64748b' },
  tickLine: false,
} as const;
