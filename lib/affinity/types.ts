// Shapes of affinity findings and rules. No runtime imports, so client files may use them.
import type { Topology, TopologyService } from '@/lib/topology/types';

export const severities = ['error', 'warning', 'info'] as const;
export type Severity = (typeof severities)[number];

export const ruleIds = [
  'no-sticky',
  'secure-cookie-over-http',
  'samesite-none-without-secure',
  'lbswarm-defeats-sticky',
  'split-routers',
  'v1-labels-ignored',
  'invalid-labels',
  'cookie-name-collision',
  'mesh-bypass',
  'stale-servers',
  'no-health-check',
  'ambiguous-network',
  'labels-api-disagree',
  'single-replica',
  'httponly-off',
  'session-cookie',
] as const;
export type RuleId = (typeof ruleIds)[number];

export type Evidence = { label: string; value: string };

export type Fix = {
  labelsToAdd: Record<string, string>;
  /** Exact label keys as stored on the Swarm service; Docker keys are case-sensitive even where Traefik's are not. */
  labelsToRemove: string[];
  note?: string;
};

export type Finding = {
  rule: RuleId;
  severity: Severity;
  /** Swarm service name, stack prefix included (`shop_web`). */
  service: string;
  /** Stack namespace, so the fix can be rendered for the stack file (`web` under `services:`). */
  stack: string | null;
  title: string;
  message: string;
  evidence: Evidence[];
  fix: Fix | null;
  docs: string;
};

/** Facts about the whole topology that several rules need, computed once per evaluation. */
export type RuleContext = {
  /** Traefik major version when read from its API, else null. */
  traefikMajor: number | null;
  /** Every router of every service, with the Swarm service that owns it. */
  routersByHost: Map<string, { service: TopologyService; router: TopologyService['routers'][number] }[]>;
};

export type Rule = {
  id: RuleId;
  /** The severity of this rule's findings unless a finding says otherwise. */
  severity: Severity;
  title: string;
  /** Why this breaks affinity, in one or two sentences. */
  why: string;
  docs: string;
  evaluate: (service: TopologyService, topology: Topology, context: RuleContext) => Finding[];
};
