// Runs every rule over every service of a topology.
import type { Topology } from '@/lib/topology/types';
import { buildContext } from './context';
import { rules } from './rules';
import { severities, type Finding, type Rule, type Severity } from './types';

const rank = (s: Severity) => severities.indexOf(s);
const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** Errors first, then by service and rule id, so the same topology always lists findings in the same order. */
export function sortFindings(findings: readonly Finding[]): Finding[] {
  return [...findings].sort(
    (a, b) => rank(a.severity) - rank(b.severity) || compare(a.service, b.service) || compare(a.rule, b.rule),
  );
}

export function evaluateTopology(topology: Topology, ruleList: readonly Rule[] = rules): Finding[] {
  const context = buildContext(topology);
  return sortFindings(topology.services.flatMap((service) => ruleList.flatMap((rule) => rule.evaluate(service, topology, context))));
}

export function countBySeverity(findings: readonly Pick<Finding, 'severity'>[]): Record<Severity, number> {
  const counts = { error: 0, warning: 0, info: 0 } satisfies Record<Severity, number>;
  for (const f of findings) counts[f.severity] += 1;
  return counts;
}
