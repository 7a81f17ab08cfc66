import { describe, expect, it } from 'vitest';
import { RecordLog } from './record-log';
import { rec, sequence, setEvent } from './test/records';
import type { ProbeRecord } from './types';

describe('RecordLog', () => {
  it('gives back every record as it was added, whatever it holds', () => {
    const records: ProbeRecord[] = [
      rec(1, 'app-1', { setCookies: [setEvent('SRV', 'r1')], balancer: { name: 'SRV', sent: null, set: 'r1' }, transport: 'relay', latencyMs: 1.2345 }),
      rec(2, 'app-1', { cookieSent: ['SRV'], balancer: { name: 'SRV', sent: 'r1', set: null }, transport: 'relay' }),
      rec(3, null, { status: null, error: { code: 'refused', message: 'connection refused' }, transport: 'relay' }),
      rec(4, null, { status: 503, identitySource: null, withheld: [{ name: 'sid', reason: 'secure-over-http' }], bodyTruncated: true }),
      rec(5, 'app-2', { cookieSent: [''], transport: 'direct', startedAt: 12.75 }),
      rec(7, 'app-2', { transport: 'node' }),
      rec(8, 'io-1', {
        protocol: { phase: 'post', lane: 2, session: 'sid-1', outcome: 'break', answer: 'Session ID unknown' },
        appSession: { name: 'connect.sid', sent: true, lost: true },
      }),
    ];
    const log = new RecordLog(2);
    for (const r of records) log.add(r);
    expect(log.length).toBe(records.length);
    expect(log.toArray()).toEqual(records);
    expect(log.at(3).transport).toBeUndefined();
    expect(() => log.at(7)).toThrow(RangeError);
  });

  it('stores repeated parts once: a sticky run of 10,000 records shares its names and balancer values', () => {
    const records = sequence(['app-1'], 10_000, () => ({ cookieSent: ['SRV'], balancer: { name: 'SRV', sent: 'r1', set: null }, transport: 'relay' }));
    const log = new RecordLog(10_000);
    for (const r of records) log.add(r);
    expect(log.at(9_999)).toEqual(records[9_999]);
    expect(log.at(5).cookieSent).toBe(log.at(6).cookieSent);
    // Columns only: 10,000 records in well under half a megabyte.
    expect(log.columnBytes).toBeLessThan(10_000 * 50);
  });
});
