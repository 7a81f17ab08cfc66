import { describe, expect, it } from 'vitest';
import { aService, aSticky, goodLabels, runRule } from '../test-model';
import { httpOnlyOff } from './httponly-off';

describe('httponly-off', () => {
  it('notes a sticky cookie without HttpOnly and overwrites the existing label', () => {
    const labels = { ...goodLabels, 'traefik.http.services.web.loadbalancer.sticky.cookie.httponly': 'false' };
    const [finding] = runRule(httpOnlyOff, aService({ labels, sticky: aSticky({ httpOnly: false }) }));
    expect(finding?.severity).toBe('info');
    expect(finding?.fix?.labelsToAdd).toEqual({ 'traefik.http.services.web.loadbalancer.sticky.cookie.httponly': 'true' });
  });

  it('is silent with HttpOnly or without a cookie', () => {
    expect(runRule(httpOnlyOff, aService())).toEqual([]);
    expect(runRule(httpOnlyOff, aService({ sticky: null }))).toEqual([]);
  });
});
