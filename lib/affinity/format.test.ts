import { describe, expect, it } from 'vitest';
import { formatFindings, lintExitCode } from './format';
import type { Finding } from './types';

const finding = (severity: Finding['severity']): Finding => ({
  rule: 'no-sticky',
  severity,
  service: 'shop_web',
  stack: 'shop',
  title: 'Several replicas, no sticky cookie',
  message: 'Requests are spread.',
  evidence: [{ label: 'replicas', value: '3' }],
  fix: { labelsToAdd: { 'traefik.http.services.web.loadbalancer.sticky.cookie': 'true' }, labelsToRemove: [] },
  docs: 'https://doc.traefik.io/traefik/routing/services/#sticky-sessions',
});

describe('formatFindings', () => {
  it('prints each finding with evidence, the fix command and docs, then a summary', () => {
    const text = formatFindings([finding('error'), finding('info')]);
    expect(text).toContain('ERROR  shop_web  no-sticky: Several replicas, no sticky cookie');
    expect(text).toContain('    replicas: 3');
    expect(text).toContain('  fix: docker service update --label-add traefik.http.services.web.loadbalancer.sticky.cookie=true shop_web');
    expect(text).toContain('  docs: https://doc.traefik.io/traefik/routing/services/#sticky-sessions');
    expect(text.trimEnd().split('\n').at(-1)).toBe('1 error, 0 warnings, 1 info');
  });

  it('says so when there is nothing to report', () => {
    expect(formatFindings([])).toBe('No affinity findings.\n');
  });
});

describe('lintExitCode', () => {
  it('is 1 with any error-level finding and 0 otherwise', () => {
    expect(lintExitCode([finding('warning'), finding('error')])).toBe(1);
    expect(lintExitCode([finding('warning'), finding('info')])).toBe(0);
    expect(lintExitCode([])).toBe(0);
  });
});
