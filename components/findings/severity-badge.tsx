import type { Severity } from '@/lib/affinity/types';
import { Badge, type Tone } from '@/components/ui/badge';

export const severityTones = { error: 'down', warning: 'degraded', info: 'info' } satisfies Record<Severity, Tone>;

export function SeverityBadge({ severity, children }: { severity: Severity; children?: React.ReactNode }) {
  return <Badge tone={severityTones[severity]}>{children ?? severity}</Badge>;
}
