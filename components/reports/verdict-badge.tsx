import { Badge, type Tone } from '@/components/ui/badge';
import type { VerdictStatus } from '@/lib/reports/schema';

const TONE = { pass: 'healthy', fail: 'down', inconclusive: 'unknown' } satisfies Record<VerdictStatus, Tone>;

/** A stored report's verdict; none yet while it runs or when it never finished. */
export function VerdictBadge({ verdict }: { verdict: VerdictStatus | null }) {
  return verdict ? <Badge tone={TONE[verdict]}>{verdict.toUpperCase()}</Badge> : <Badge tone="neutral">no verdict yet</Badge>;
}
