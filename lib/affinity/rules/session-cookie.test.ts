import { describe, expect, it } from 'vitest';
import { aService, aSticky, editLabels, goodLabels, runRule } from '../test-model';
import { sessionCookie } from './session-cookie';

const noMaxAge = editLabels(goodLabels, {}, ['traefik.http.services.web.loadbalancer.sticky.cookie.maxage']);

describe('session-cookie', () => {
  it('notes a cookie without maxAge and adds one on Traefik v3', () => {
    const [finding] = runRule(sessionCookie, aService({ labels: noMaxAge, sticky: aSticky({ maxAge: null }) }));
    expect(finding?.severity).toBe('info');
    expect(finding?.fix?.labelsToAdd).toEqual({ 'traefik.http.services.web.loadbalancer.sticky.cookie.maxage': '86400' });
  });

  it('offers no label on Traefik v2, which has no maxAge', () => {
    const v2 = { sources: { docker: { status: 'ok' as const, ms: 1 }, traefik: { status: 'ok' as const, ms: 1, version: 'v2.11.0' } } };
    const [finding] = runRule(sessionCookie, aService({ labels: noMaxAge, sticky: aSticky({ maxAge: 0 }) }), [], v2);
    expect(finding?.fix?.labelsToAdd).toEqual({});
  });

  it('raises an error for a negative maxAge, which expires the cookie at once', () => {
    const [finding] = runRule(sessionCookie, aService({ sticky: aSticky({ maxAge: -1 }) }));
    expect(finding?.severity).toBe('error');
  });

  it('is silent with a positive maxAge or without a cookie', () => {
    expect(runRule(sessionCookie, aService())).toEqual([]);
    expect(runRule(sessionCookie, aService({ sticky: null }))).toEqual([]);
  });
});
