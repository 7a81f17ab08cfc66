import { describe, expect, it } from 'vitest';
import { compareReports, type ComparedReport } from './compare';
import type { Report } from './schema';
import { testRecords } from './test/fixtures';
import { stickyRecords, testReport } from './test/reports';
import { toReportView } from './view';

const compared = (report: Report): ComparedReport => ({ ...report, target: report.spec.target, view: toReportView(report) });

describe('compareReports', () => {
  it('says what a fix changed: verdict, first break, distribution, cookie behaviour, diagnosis', () => {
    const before = testReport({ id: 'before' }, testRecords(200));
    const after = testReport({ id: 'after' }, stickyRecords(200));
    const { left, right, changes } = compareReports(compared(before), compared(after));

    expect(left).toMatchObject({ id: 'before', verdict: 'fail', firstBreak: { at: 100, replica: '10.0.1.6' }, switches: 1 });
    expect(left.distribution.map((d) => d.replica)).toEqual(['10.0.1.6', '10.0.1.5']);
    expect(left.balancerCookie).toMatchObject({ name: '_traefik_web', changes: 1 });
    expect(right).toMatchObject({ id: 'after', verdict: 'pass', firstBreak: null, switches: 0 });
    expect(right.distribution).toEqual([{ replica: '10.0.1.5', count: 200, share: 1 }]);
    expect(right.balancerCookie).toMatchObject({ name: '_traefik_web', changes: 0, sent: 199 });

    const byAspect = (aspect: string) => changes.filter((c) => c.aspect === aspect);
    expect(byAspect('verdict')).toEqual([{ aspect: 'verdict', text: 'verdict: FAIL → PASS', better: true }]);
    expect(byAspect('first-break')).toEqual([{ aspect: 'first-break', text: 'first break: request #100 → none', better: true }]);
    expect(byAspect('distribution').map((c) => c.text)).toEqual(['replicas that answered: 2 → 1', 'replica switches: 1 → 0']);
    expect(byAspect('cookies')).toContainEqual({ aspect: 'cookies', text: 'balancer cookie value changes: 1 → 0', better: true });
    expect(byAspect('diagnosis')[0]?.text).toContain('no longer diagnosed');
    expect(changes.every((c) => c.better !== false)).toBe(true);
  });

  it('marks a regression as worse and finds nothing to say about equal reports', () => {
    const good = testReport({ id: 'good' }, stickyRecords(50));
    const bad = testReport({ id: 'bad' }, testRecords(150));
    const regression = compareReports(compared(good), compared(bad));
    expect(regression.changes.find((c) => c.aspect === 'verdict')).toEqual({ aspect: 'verdict', text: 'verdict: PASS → FAIL', better: false });
    expect(regression.changes.find((c) => c.aspect === 'first-break')?.better).toBe(false);
    expect(compareReports(compared(good), compared({ ...good, id: 'again' })).changes).toEqual([]);
  });

  it('lists but does not judge two runs of different targets, and knows one target however it is spelt', () => {
    const good = testReport({ id: 'good' }, stickyRecords(50));
    const bad = testReport({ id: 'bad' }, testRecords(150));
    const elsewhere = { ...compared(bad), target: 'http://other.example.com/' };
    const across = compareReports(compared(good), elsewhere);
    expect(across.sameTarget).toBe(false);
    expect(across.changes.find((c) => c.aspect === 'verdict')).toEqual({ aspect: 'verdict', text: 'verdict: PASS → FAIL', better: null });
    expect(across.changes.every((c) => c.better === null)).toBe(true);

    const url = new URL(good.spec.target);
    const respelt = `${url.protocol}//${url.hostname.toUpperCase()}.:${url.port || (url.protocol === 'https:' ? 443 : 80)}${url.pathname}?x=1`;
    const same = compareReports(compared(good), { ...compared(bad), target: respelt });
    expect(same.sameTarget).toBe(true);
    expect(same.changes.find((c) => c.aspect === 'verdict')?.better).toBe(false);
  });
});
