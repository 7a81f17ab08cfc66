// Assembles a finding from the rule that raised it and the service it is about.
import type { TopologyService } from '@/lib/topology/types';
import type { Evidence, Finding, Fix, Rule, Severity } from './types';

export function makeFinding(
  rule: Pick<Rule, 'id' | 'severity' | 'title' | 'docs'>,
  service: Pick<TopologyService, 'name' | 'stack'>,
  parts: { message: string; evidence: Evidence[]; fix: Fix | null; severity?: Severity; title?: string },
): Finding {
  return {
    rule: rule.id,
    severity: parts.severity ?? rule.severity,
    service: service.name,
    stack: service.stack,
    title: parts.title ?? rule.title,
    message: parts.message,
    evidence: parts.evidence,
    fix: parts.fix,
    docs: rule.docs,
  };
}
