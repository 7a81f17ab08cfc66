import { describe, expect, it } from 'vitest';
import { computeVerdict } from '@/lib/probe/verdict';
import { testRecords } from './test/fixtures';
import { testReport } from './test/reports';
import { errorSamplesOf, toReportView } from './view';
import { rec } from '@/lib/probe/test/records';

describe('report view', () => {
  it('shows the outcome the run ended with, and charts drawn from the stored records', () => {
    const report = testReport();
    const view = toReportView(report);
    expect(view.provisional).toBe(false);
    expect(view.verdict).toBe(report.outcome?.verdict);
    expect(view.diagnosis).toBe(report.outcome?.diagnosis);
    expect(view.cookies).toBe(report.outcome?.cookies);
    expect(view.snapshot.done).toBe(200);
    expect(view.snapshot.replicas.map((r) => [r.id, r.count])).toEqual([
      ['10.0.1.5', 99],
      ['10.0.1.6', 101],
    ]);
    expect(view.lanes.lanes).toEqual(['10.0.1.5', '10.0.1.6']);
    expect(view.axisTotal).toBe(200);
  });

  it('rebuilds verdict, cookie story and diagnosis from the records of a run that never ended', () => {
    const records = testRecords(120);
    const report = testReport({ status: 'incomplete', endedAt: null, outcome: null }, records);
    const view = toReportView(report);
    expect(view.provisional).toBe(true);
    expect(view.verdict).toEqual(computeVerdict(records));
    expect(view.verdict.status).toBe('fail');
    expect(view.verdict.firstBreakAt).toBe(100);
    expect(view.cookies.balancerCookie).toBe('_traefik_web');
    expect(view.cookies.cookies.find((c) => c.name === '_traefik_web')?.changes).toBe(1);
    expect(view.diagnosis.map((d) => d.code)).toContain('balancer-cookie-changed');
    expect(view.expectation.holds).toBe(false);
    expect(view.axisTotal).toBe(200);
  });

  it('keeps the first message per error kind', () => {
    const samples = errorSamplesOf([
      rec(1, null, { status: null, error: { code: 'refused', message: 'first refusal' } }),
      rec(2, null, { status: null, error: { code: 'refused', message: 'second refusal' } }),
      rec(3, 'a', { status: 503 }),
      rec(4, 'a'),
    ]);
    expect(samples).toEqual({ refused: 'first refusal', 'HTTP 503': 'the target answered HTTP 503' });
  });
});
