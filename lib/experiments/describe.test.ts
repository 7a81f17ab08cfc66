import { describe, expect, it } from 'vitest';
import type { FailoverMeasurement } from '@/lib/probe/failover';
import { failoverDetails, failoverHeadline } from './describe';

const base: FailoverMeasurement = {
  outcome: 'recovered',
  pinnedReplica: 'app-1',
  requestsAfter: 90,
  disruptionAt: 34,
  failedRequests: 2,
  failedAfterAction: 2,
  failureWindow: { fromIndex: 34, toIndex: 35, fromMs: 1650, toMs: 2210 },
  recovery: { index: 36, replica: 'app-2' },
  timeToRecoveryMs: 740,
  repinnedTo: 'app-2',
  repinned: true,
  balancerCookie: { name: 'SRV', before: 'app-1', after: 'app-2', reissued: true, reissuedAt: 36 },
  session: { cookies: [{ name: 'sid', survived: false, lostAt: 36, how: 'replaced' }], survived: false },
};

describe('failover in sentences', () => {
  it('tells a failover: where to, how long, how many failed, the window, the cookie and the session', () => {
    expect(failoverHeadline(base)).toBe('Failed over from app-1 to app-2 in 740 ms, 2 failed requests');
    expect(failoverDetails(base)).toEqual([
      'Failure window: requests 34–35 (1.65 s to 2.21 s into the run), 2 requests failed',
      'Next success: request 36, 740 ms after the action',
      'Re-pinned: app-1 → app-2',
      'Balancer cookie SRV re-issued at request 36: app-1 → app-2',
      'App session lost: sid replaced at request 36',
    ]);
  });

  it('says when nothing failed, nothing moved, or nothing could be measured', () => {
    const hidden = { ...base, failedRequests: 0, failedAfterAction: 0, failureWindow: null, session: null };
    expect(failoverDetails(hidden)[0]).toBe('No request failed: the balancer moved the client before any error reached it');
    expect(failoverHeadline({ ...base, outcome: 'unaffected' })).toBe('app-1 kept answering: the action did not reach this client during the run');
    expect(failoverHeadline({ ...base, outcome: 'recovered', repinned: false, repinnedTo: 'app-1' })).toBe('Back on app-1 after 740 ms, 2 failed requests');
    expect(failoverHeadline({ ...base, outcome: 'not-recovered', failedRequests: 1 })).toMatch(/1 failed request until the run ended/);
    expect(failoverDetails({ ...base, balancerCookie: null, session: { cookies: [{ name: 'sid', survived: true, lostAt: null, how: null }], survived: true } })).toEqual(
      expect.arrayContaining(['No balancer cookie seen in this run', 'App session survived (sid)']),
    );
    expect(failoverDetails({ ...base, failedAfterAction: 5 })).toContain('5 requests failed after the action in all');
  });
});
