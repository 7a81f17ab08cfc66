import { describe, expect, it } from 'vitest';
import { findingsBehind } from './explains';
import type { Finding, RuleId, Severity } from './types';

const finding = (rule: RuleId, severity: Severity = 'error'): Finding => ({
  rule,
  severity,
  service: 'shiny-dt',
  stack: null,
  title: rule,
  message: '',
  evidence: [],
  fix: null,
  docs: '',
});

describe('findings behind a run', () => {
  const findings = [finding('no-health-check', 'warning'), finding('httponly-off', 'info'), finding('secure-cookie-over-http')];

  it('a lost Shiny session is explained by the cookie and affinity findings of its service, errors first', () => {
    expect(findingsBehind([{ code: 'shiny-route-lost', severity: 'error' }], findings).map((f) => f.rule)).toEqual(['secure-cookie-over-http', 'no-health-check']);
  });

  it('a cookie finding of the run names only the rules that break that cookie', () => {
    expect(findingsBehind([{ code: 'secure-cookie-over-http', severity: 'error' }], findings).map((f) => f.rule)).toEqual(['secure-cookie-over-http']);
    expect(findingsBehind([{ code: 'samesite-none-insecure', severity: 'error' }], findings)).toEqual([]);
  });

  it('a run that only reports facts (info) points at no finding', () => {
    expect(findingsBehind([{ code: 'shiny-route-kept', severity: 'info' }, { code: 'protocol-detected', severity: 'info' }], findings)).toEqual([]);
  });
});
