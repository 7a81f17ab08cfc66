// The records of a report as CSV (RFC 4180: comma-separated, CRLF line ends, quotes doubled), one row per request.
import type { ProbeRecord } from '@/lib/probe/types';

export const RECORD_CSV_COLUMNS = [
  'index',
  'started_ms',
  'latency_ms',
  'status',
  'replica',
  'identity_source',
  'error_code',
  'error_message',
  'cookies_sent',
  'cookies_withheld',
  'set_cookies',
  'balancer_cookie',
  'balancer_sent',
  'balancer_set',
  'body_truncated',
] as const;

type Cell = string | number | boolean | null;

// A spreadsheet runs a cell that starts like a formula; values that came from a target (replica names, cookie values)
// must stay text.
const FORMULA_START = /^[=+\-@\t\r]/;

export function csvCell(value: Cell): string {
  if (value === null) return '';
  if (typeof value === 'number') return Number.isFinite(value) ? String(Math.round(value * 1000) / 1000) : '';
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  const text = FORMULA_START.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

function recordRow(r: ProbeRecord): Cell[] {
  return [
    r.index,
    r.startedAt,
    r.latencyMs,
    r.status,
    r.replica,
    r.identitySource,
    r.error?.code ?? null,
    r.error?.message ?? null,
    r.cookieSent.join(' '),
    r.withheld.map((w) => `${w.name}:${w.reason}`).join(' '),
    r.setCookies.map((c) => `${c.name}=${c.value} ${c.outcome}${c.reason ? `:${c.reason}` : ''}`).join('; '),
    r.balancer?.name ?? null,
    r.balancer?.sent ?? null,
    r.balancer?.set ?? null,
    r.bodyTruncated,
  ];
}

export function toRecordsCsv(records: readonly ProbeRecord[]): string {
  const lines = [RECORD_CSV_COLUMNS.join(',')];
  for (const r of records) lines.push(recordRow(r).map(csvCell).join(','));
  return `${lines.join('\r\n')}\r\n`;
}
