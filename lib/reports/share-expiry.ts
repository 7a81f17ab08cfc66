import { REPORT_LIMITS } from './limits';

const HOUR_MS = 3_600_000;

/** When a share link made now stops working: `hours` from now, the default when unsaid, never for an explicit null. */
export function shareExpiry(hours: number | null = REPORT_LIMITS.defaultShareHours, now = Date.now()): number | null {
  return hours === null ? null : now + hours * HOUR_MS;
}
