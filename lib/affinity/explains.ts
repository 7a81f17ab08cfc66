// Which configuration findings explain what a probe run saw: a run's diagnosis codes matched to the rules whose
// misconfiguration produces them. Rules as data, matched by a pure function.
import type { Diagnosis, DiagnosisCode } from '@/lib/probe/types';
import type { Finding, RuleId } from './types';

/** Rules that make requests leave their replica without a sticky cookie to bring them back. */
const NO_AFFINITY: readonly RuleId[] = ['no-sticky', 'lbswarm-defeats-sticky', 'split-routers', 'mesh-bypass', 'v1-labels-ignored', 'labels-api-disagree'];
/** Rules that break the sticky cookie itself, so browsers never send it back. */
const COOKIE_LOST: readonly RuleId[] = ['secure-cookie-over-http', 'samesite-none-without-secure', 'cookie-name-collision'];
/** Rules that move a user whose cookie was kept: a VIP or mesh behind the balancer first, then failovers. */
const REPINNED: readonly RuleId[] = ['lbswarm-defeats-sticky', 'mesh-bypass', 'stale-servers', 'no-health-check', 'cookie-name-collision'];
/** A session the balancer lost shows in the protocol's answers: any of the causes above. */
const SESSION_LOST: readonly RuleId[] = [...COOKIE_LOST, ...NO_AFFINITY, ...REPINNED];

/** What the run's cookies showed: these name the cause. */
const COOKIE_CAUSES = {
  'secure-cookie-over-http': ['secure-cookie-over-http'],
  'samesite-none-insecure': ['samesite-none-without-secure'],
  'cookie-rejected': COOKIE_LOST,
  'cookie-never-sent': COOKIE_LOST,
  'no-balancer-cookie': NO_AFFINITY,
  'balancer-cookie-changed': REPINNED,
  'balancer-cookie-repinned': REPINNED,
} satisfies Partial<Record<DiagnosisCode, readonly RuleId[]>>;

/** What the protocol's answers showed: a lost session, whose cause any of these may be. */
const SESSION_BREAKS = {
  'session-id-unknown': SESSION_LOST,
  'upgrade-elsewhere': SESSION_LOST,
  'session-route-lost': SESSION_LOST,
  'app-session-lost': SESSION_LOST,
  'shiny-route-lost': SESSION_LOST,
  'shiny-worker-changed': SESSION_LOST,
  'shiny-sockjs-lost': SESSION_LOST,
} satisfies Partial<Record<DiagnosisCode, readonly RuleId[]>>;

const ORDER = { error: 0, warning: 1, info: 2 } as const;

function matching(diagnosis: readonly Pick<Diagnosis, 'code' | 'severity'>[], table: Partial<Record<DiagnosisCode, readonly RuleId[]>>, findings: readonly Finding[]): Finding[] {
  const rules = new Set<RuleId>();
  for (const d of diagnosis) if (d.severity !== 'info') for (const rule of table[d.code] ?? []) rules.add(rule);
  return findings.filter((f) => rules.has(f.rule)).sort((a, b) => ORDER[a.severity] - ORDER[b.severity]);
}

/**
 * The service's findings that explain `diagnosis`'s errors and warnings, most severe first: the ones the run's cookie
 * evidence points at, else, for a session the protocol saw lost without a cookie to blame, every finding that can
 * lose one.
 */
export function findingsBehind(diagnosis: readonly Pick<Diagnosis, 'code' | 'severity'>[], findings: readonly Finding[]): Finding[] {
  const byCookie = matching(diagnosis, COOKIE_CAUSES, findings);
  return byCookie.length ? byCookie : matching(diagnosis, SESSION_BREAKS, findings);
}
