import { describe, expect, it } from 'vitest';
import { aRouter, aService, aSticky, runRule } from '../test-model';
import { labelsApiDisagree } from './labels-api-disagree';

describe('labels-api-disagree', () => {
  it('reports labels asking for a cookie the running service lacks, as an error on a multi-replica service', () => {
    const [finding] = runRule(labelsApiDisagree, aService({ sticky: null }));
    expect(finding?.severity).toBe('error');
    expect(finding?.evidence).toContainEqual({ label: 'running sticky cookie', value: '(none)' });
  });

  it('points the routers at the labelled service when they send elsewhere', () => {
    const service = aService({ sticky: null, routers: [aRouter({ service: 'shop-web@swarm' })], traefikServices: ['shop-web@swarm'] });
    const [finding] = runRule(labelsApiDisagree, service);
    expect(finding?.message).toMatch(/sticky labels are on Traefik service web/);
    expect(finding?.fix?.labelsToAdd).toEqual({ 'traefik.http.routers.web.service': 'web' });
  });

  it('reports differing cookie attributes with both values', () => {
    const [finding] = runRule(labelsApiDisagree, aService({ sticky: aSticky({ secure: false, maxAge: null }) }));
    expect(finding?.severity).toBe('warning');
    expect(finding?.evidence).toContainEqual({ label: 'secure', value: 'labels true, running false' });
    expect(finding?.evidence).toContainEqual({ label: 'maxAge', value: 'labels 86400, running 0' });
  });

  it('notes, as info, a running cookie the labels do not configure', () => {
    expect(runRule(labelsApiDisagree, aService({ labelSticky: null }))[0]?.severity).toBe('info');
  });

  it('is silent when they agree, when unset equals default, or when no API was read', () => {
    expect(runRule(labelsApiDisagree, aService())).toEqual([]);
    expect(runRule(labelsApiDisagree, aService({ sticky: aSticky({ path: '/' }), labelSticky: aSticky({ path: null }) }))).toEqual([]);
    expect(runRule(labelsApiDisagree, aService({ sticky: null, traefikOrigin: 'labels' }))).toEqual([]);
  });
});
