// Two reports side by side, for before/after a fix: each side's facts and the changes that matter, in the order a
// person checks them (verdict, first break, distribution, cookie behaviour, errors, diagnosis). Pure.
import { hostPortKey } from '@/lib/net/host-key';
import type { ReportStatus } from './schema';
import type { ReportView } from './view';

export type ComparedReport = {
  id: string;
  target: string;
  status: ReportStatus;
  /** Epoch ms. */
  startedAt: number;
  view: Pick<ReportView, 'verdict' | 'expectation' | 'cookies' | 'diagnosis' | 'snapshot' | 'provisional'>;
};

export type CookieBehaviour = {
  name: string;
  set: number;
  sent: number;
  changes: number;
  repins: number;
  /** Reason → count, rejected by the jar. */
  rejected: Record<string, number>;
  /** Reason → count, not sent back. */
  withheld: Record<string, number>;
};

export type ReportSide = {
  id: string;
  target: string;
  status: ReportStatus;
  startedAt: number;
  provisional: boolean;
  verdict: ReportView['verdict']['status'];
  expectation: ReportView['expectation'];
  requests: number;
  successful: number;
  firstBreak: { at: number; ms: number | null; replica: string | null } | null;
  switches: number;
  distribution: { replica: string; count: number; share: number }[];
  errors: number;
  /** The balancer's cookie when the run knew it, otherwise null. */
  balancerCookie: CookieBehaviour | null;
  diagnosis: { code: string; severity: string }[];
};

export type ChangeAspect = 'verdict' | 'first-break' | 'distribution' | 'cookies' | 'errors' | 'diagnosis';

export type ReportChange = {
  aspect: ChangeAspect;
  text: string;
  /** Whether the right-hand report is better on this point; null when it is neither. */
  better: boolean | null;
};

/**
 * `sameTarget` false: the runs probed different targets (scheme, host or port), so their differences are listed but
 * not judged better or worse; a fix cannot be read from two different services.
 */
export type ReportComparison = { left: ReportSide; right: ReportSide; changes: ReportChange[]; sameTarget: boolean };

/** Scheme, canonical host and port of a target URL: one key per service endpoint, however the URL was spelt. */
function targetKey(target: string): string | null {
  try {
    const url = new URL(target);
    const port = url.port ? Number(url.port) : url.protocol === 'https:' ? 443 : 80;
    const key = hostPortKey(url.hostname, port);
    return key === null ? null : `${url.protocol}//${key}`;
  } catch {
    return null;
  }
}

const VERDICT_RANK = { fail: 0, inconclusive: 1, pass: 2 } as const;

function nonZero(map: Partial<Record<string, number>>): Record<string, number> {
  return Object.fromEntries(Object.entries(map).filter((e): e is [string, number] => (e[1] ?? 0) > 0));
}

export function toReportSide(report: ComparedReport): ReportSide {
  const { verdict, cookies } = report.view;
  const story = cookies.cookies.find((c) => c.isBalancer) ?? null;
  return {
    id: report.id,
    target: report.target,
    status: report.status,
    startedAt: report.startedAt,
    provisional: report.view.provisional,
    verdict: verdict.status,
    expectation: report.view.expectation,
    requests: verdict.total,
    successful: verdict.successful,
    firstBreak: verdict.firstBreakAt === null ? null : { at: verdict.firstBreakAt, ms: verdict.firstBreakMs, replica: verdict.firstBreakReplica },
    switches: verdict.switches,
    distribution: [...report.view.snapshot.replicas]
      .sort((a, b) => b.count - a.count)
      .map((r) => ({ replica: r.id, count: r.count, share: r.share })),
    errors: verdict.errors.total,
    balancerCookie: story && {
      name: story.name,
      set: story.setCount,
      sent: story.sentCount,
      changes: story.changes,
      repins: story.repins,
      rejected: nonZero(story.rejected),
      withheld: nonZero(story.withheld),
    },
    diagnosis: report.view.diagnosis.map((d) => ({ code: d.code, severity: d.severity })),
  };
}

const breakText = (b: ReportSide['firstBreak']) => (b ? `request #${b.at}` : 'none');
const sum = (map: Record<string, number>) => Object.values(map).reduce((a, b) => a + b, 0);

function compareNumber(aspect: ChangeAspect, what: string, left: number, right: number, lowerIsBetter: boolean): ReportChange | null {
  if (left === right) return null;
  return { aspect, text: `${what}: ${left} → ${right}`, better: lowerIsBetter ? right < left : right > left };
}

function cookieChanges(left: CookieBehaviour | null, right: CookieBehaviour | null): ReportChange[] {
  if (!left && !right) return [];
  if (!left || !right) {
    const now = right ? `balancer cookie ${right.name} appears` : `balancer cookie ${left?.name ?? ''} is gone`;
    return [{ aspect: 'cookies', text: now, better: right !== null }];
  }
  const out: (ReportChange | null)[] = [];
  if (left.name !== right.name) out.push({ aspect: 'cookies', text: `balancer cookie ${left.name} → ${right.name}`, better: null });
  out.push(compareNumber('cookies', 'balancer cookie value changes', left.changes, right.changes, true));
  out.push(compareNumber('cookies', 're-pinned requests', left.repins, right.repins, true));
  out.push(compareNumber('cookies', 'balancer cookie rejected', sum(left.rejected), sum(right.rejected), true));
  out.push(compareNumber('cookies', 'balancer cookie withheld', sum(left.withheld), sum(right.withheld), true));
  if ((left.sent === 0) !== (right.sent === 0)) {
    out.push({ aspect: 'cookies', text: right.sent > 0 ? 'the balancer cookie is now sent back' : 'the balancer cookie is no longer sent back', better: right.sent > 0 });
  }
  return out.filter((c): c is ReportChange => c !== null);
}

export function compareReports(leftReport: ComparedReport, rightReport: ComparedReport): ReportComparison {
  const left = toReportSide(leftReport);
  const right = toReportSide(rightReport);
  const changes: (ReportChange | null)[] = [];

  if (left.verdict !== right.verdict) {
    changes.push({
      aspect: 'verdict',
      text: `verdict: ${left.verdict.toUpperCase()} → ${right.verdict.toUpperCase()}`,
      better: VERDICT_RANK[right.verdict] > VERDICT_RANK[left.verdict],
    });
  }
  if (left.firstBreak?.at !== right.firstBreak?.at) {
    // No break at all is best; otherwise a later first break means users keep their replica longer.
    const better = right.firstBreak === null || (left.firstBreak !== null && right.firstBreak.at > left.firstBreak.at);
    changes.push({ aspect: 'first-break', text: `first break: ${breakText(left.firstBreak)} → ${breakText(right.firstBreak)}`, better });
  }
  changes.push(compareNumber('distribution', 'replicas that answered', left.distribution.length, right.distribution.length, true));
  changes.push(compareNumber('distribution', 'replica switches', left.switches, right.switches, true));
  changes.push(...cookieChanges(left.balancerCookie, right.balancerCookie));
  changes.push(compareNumber('errors', 'failed requests', left.errors, right.errors, true));

  const leftCodes = new Set(left.diagnosis.map((d) => d.code));
  const rightCodes = new Set(right.diagnosis.map((d) => d.code));
  const gone = left.diagnosis.filter((d) => !rightCodes.has(d.code) && d.severity !== 'info');
  const added = right.diagnosis.filter((d) => !leftCodes.has(d.code) && d.severity !== 'info');
  if (gone.length) changes.push({ aspect: 'diagnosis', text: `no longer diagnosed: ${gone.map((d) => d.code).join(', ')}`, better: true });
  if (added.length) changes.push({ aspect: 'diagnosis', text: `newly diagnosed: ${added.map((d) => d.code).join(', ')}`, better: false });

  const leftKey = targetKey(left.target);
  const sameTarget = leftKey !== null && leftKey === targetKey(right.target);
  const listed = changes.filter((c): c is ReportChange => c !== null);
  return { left, right, sameTarget, changes: sameTarget ? listed : listed.map((c) => ({ ...c, better: null })) };
}
