import { describe, expect, it } from 'vitest';
import { parseRuleTargets } from './rule';

describe('parseRuleTargets', () => {
  it('reads a single Host', () => {
    expect(parseRuleTargets('Host(`foo.bar`)')).toEqual({ hosts: ['foo.bar'], pathPrefixes: [] });
  });

  it('reads v2 multi-argument Host and joins alternatives', () => {
    expect(parseRuleTargets('Host(`a.example`, `b.example`) || Host(`c.example`)').hosts).toEqual([
      'a.example',
      'b.example',
      'c.example',
    ]);
  });

  it('reads PathPrefix and Path, and double-quoted strings as the ingress provider writes them', () => {
    expect(parseRuleTargets('Host("whoami.test") && PathPrefix("/whoami") || Path(`/exact`)')).toEqual({
      hosts: ['whoami.test'],
      pathPrefixes: ['/whoami', '/exact'],
    });
  });

  it('ignores HostRegexp, PathRegexp, negations and matcher names inside strings', () => {
    const rule = 'HostRegexp(`{sub:[a-z]+}.example.com`) && !Host(`blocked.example`) && PathRegexp(`^/api`) && Header(`X`, `Host(x)`)';
    expect(parseRuleTargets(rule)).toEqual({ hosts: [], pathPrefixes: [] });
  });

  it('lower-cases and deduplicates hosts', () => {
    expect(parseRuleTargets('Host(`App.Example`) || Host(`app.example`)').hosts).toEqual(['app.example']);
  });

  it('survives garbage', () => {
    expect(parseRuleTargets('Host(`unterminated')).toEqual({ hosts: [], pathPrefixes: [] });
    expect(parseRuleTargets('')).toEqual({ hosts: [], pathPrefixes: [] });
  });
});
