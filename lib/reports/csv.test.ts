import { describe, expect, it } from 'vitest';
import { rec, setEvent } from '@/lib/probe/test/records';
import { RECORD_CSV_COLUMNS, csvCell, toRecordsCsv } from './csv';

/** Splits RFC 4180 text back into rows of cells, so the test reads what a spreadsheet would. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(cell);
      cell = '';
    } else if (c === '\r' && text[i + 1] === '\n') {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
      i++;
    } else cell += c;
  }
  return rows;
}

describe('records CSV', () => {
  it('writes a header and one row per record with every column filled from the record', () => {
    const records = [
      rec(1, 'app-1', {
        latencyMs: 1.23456,
        setCookies: [setEvent('SRV', 'abc', {}), setEvent('bad', 'x', { outcome: 'rejected', reason: 'secure-over-http' })],
        balancer: { name: 'SRV', sent: null, set: 'abc' },
      }),
      rec(2, null, {
        status: null,
        error: { code: 'refused', message: 'connect ECONNREFUSED 127.0.0.1:9, "quoted"' },
        cookieSent: ['SRV', 'theme'],
        withheld: [{ name: 'sec', reason: 'secure-over-http' }],
        balancer: { name: 'SRV', sent: 'abc', set: null },
      }),
    ];
    const rows = parseCsv(toRecordsCsv(records));
    expect(rows[0]).toEqual([...RECORD_CSV_COLUMNS]);
    expect(rows).toHaveLength(3);
    const byName = (row: string[]) => Object.fromEntries(RECORD_CSV_COLUMNS.map((c, i) => [c, row[i]]));
    expect(byName(rows[1]!)).toMatchObject({
      index: '1',
      latency_ms: '1.235',
      status: '200',
      replica: 'app-1',
      identity_source: 'body:hostname',
      set_cookies: 'SRV=abc stored; bad=x rejected:secure-over-http',
      balancer_cookie: 'SRV',
      balancer_sent: '',
      balancer_set: 'abc',
      body_truncated: 'false',
    });
    expect(byName(rows[2]!)).toMatchObject({
      index: '2',
      status: '',
      replica: '',
      error_code: 'refused',
      error_message: 'connect ECONNREFUSED 127.0.0.1:9, "quoted"',
      cookies_sent: 'SRV theme',
      cookies_withheld: 'sec:secure-over-http',
      balancer_sent: 'abc',
    });
  });

  it('keeps values from the target as text, never as a spreadsheet formula', () => {
    expect(csvCell('=HYPERLINK("http://x")')).toBe(`"'=HYPERLINK(""http://x"")"`);
    expect(csvCell('+1')).toBe("'+1");
    expect(csvCell('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(csvCell(-3)).toBe('-3');
    expect(csvCell('line\nbreak')).toBe('"line\nbreak"');
  });
});
