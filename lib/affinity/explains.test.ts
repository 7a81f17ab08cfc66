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

  it('a lost Shiny session with no cookie to blame points at every finding that can lose one, errors first', () => {
    expect(findingsBehind([{ code: 'shiny-route-lost', severity: 'error' }], findings).map((f) => f.rule)).toEqual(['secure-cookie-over-http', 'no-health-check']);
  });

  it('a lost Shiny session whose cookie the run saw dropped points at that cookie’s finding only', () => {
    const run = [
      { code: 'shiny-route-lost', severity: 'error' },
      { code: 'secure-cookie-over-http', severity: 'error' },
    ] as const;
    expect(findingsBehind(run, findings).map((f) => f.rule)).toEqual(['secure-cookie-over-http']);
  });

  it('a cookie finding of the run names only the rules that break that cookie', () => {
    expect(findingsBehind([{ code: 'secure-cookie-over-http', severity: 'error' }], findings).map((f) => f.rule)).toEqual(['secure-cookie-over-http']);
    expect(findingsBehind([{ code: 'samesite-none-insecure', severity: 'error' }], findings)).toEqual([]);
  });

  it('a run that only reports facts (info) points at no finding', () => {
    expect(findingsBehind([{ code: 'shiny-route-kept', severity: 'info' }, { code: 'protocol-detected', severity: 'info' }], findings)).toEqual([]);
  });
});
