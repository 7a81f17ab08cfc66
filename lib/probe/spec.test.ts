import { describe, expect, it } from 'vitest';
import { InputError } from '@/lib/errors';
import { PROBE_LIMITS, parseProbeSpec, safeParseProbeSpec } from './spec';
import { parseResolveOverride } from './resolve';

describe('probe spec', () => {
  it('fills defaults', () => {
    expect(parseProbeSpec({ target: 'http://app.test/' })).toMatchObject({
      method: 'GET',
      requests: 100,
      intervalMs: 10,
      concurrency: 1,
      stopAtFirstBreak: false,
      cookies: 'browser',
      identity: 'auto',
      headers: {},
      resolve: [],
      expect: 'sticky',
    });
  });

  it('explains a bad URL, a bad scheme and credentials', () => {
    const issues = (target: string) => (safeParseProbeSpec({ target }) as { issues: string[] }).issues.join();
    expect(issues('app.test')).toMatch(/not an absolute URL/);
    expect(issues('ftp://app.test/')).toMatch(/only http and https/);
    expect(issues('http://u:p@app.test/')).toMatch(/credentials/);
  });

  it('refuses unknown keys, Host, Cookie and hop-by-hop headers with a reason', () => {
    expect(safeParseProbeSpec({ target: 'http://a.test/', bogus: 1 }).ok).toBe(false);
    const r = safeParseProbeSpec({ target: 'http://a.test/', headers: { Host: 'x', Connection: 'close', Cookie: 'a=1', 'X-Ok': '1' } });
    expect(r.ok).toBe(false);
    const text = (r as { issues: string[] }).issues.join('\n');
    expect(text).toMatch(/Host is not allowed: .*resolve/);
    expect(text).toMatch(/Connection is not allowed: hop-by-hop/);
    expect(text).toMatch(/Cookie is not allowed/);
    expect(text).not.toMatch(/X-Ok/);
  });

  it('checks limits and identity forms', () => {
    expect(safeParseProbeSpec({ target: 'http://a.test/', requests: 100_001 }).ok).toBe(false);
    expect(safeParseProbeSpec({ target: 'http://a.test/', identity: { bodyRegex: '(' } }).ok).toBe(false);
    expect(parseProbeSpec({ target: 'http://a.test/', identity: { header: 'X-Replica' } }).identity).toEqual({ header: 'x-replica' });
    expect(parseProbeSpec({ target: 'http://a.test/', identity: { jsonField: 'meta.host' } }).identity).toEqual({ jsonField: 'meta.host' });
    expect(safeParseProbeSpec({ target: 'http://a.test/', identity: { header: 'x', cookie: 'y' } }).ok).toBe(false);
    expect(safeParseProbeSpec({ target: 'http://a.test/', body: 'x' }).ok).toBe(false);
  });

  it('parses --resolve entries like curl and requires them to match the target', () => {
    expect(parseResolveOverride('App.test:80:127.0.0.1')).toEqual({ host: 'app.test', port: 80, address: '127.0.0.1' });
    expect(parseResolveOverride('app.test:443:[::1]')).toEqual({ host: 'app.test', port: 443, address: '::1' });
    expect(parseResolveOverride('app.test:80')).toMatch(/host:port:address/);
    expect(parseResolveOverride('app.test:80:not-an-ip')).toMatch(/not an IP address/);
    expect(parseResolveOverride('*:80:127.0.0.1')).toMatch(/wildcard/);
    const spec = parseProbeSpec({ target: 'http://app.test:8080/', resolve: ['app.test:8080:127.0.0.1', { host: 'app.test', port: 8080, address: '127.0.0.2' }] });
    expect(spec.resolve).toHaveLength(2);
    expect(() => parseProbeSpec({ target: 'http://app.test/', resolve: ['app.test:8080:127.0.0.1'] })).toThrow(/does not match the target app.test:80/);
    expect(() => parseProbeSpec({ target: 'nope' })).toThrow(InputError);
  });
});

describe('protocol options', () => {
  it('defaults to auto (the page decides) with app session detection; existing specs stay valid', () => {
    const spec = parseProbeSpec({ target: 'http://app.test/' });
    expect(spec).toMatchObject({ protocol: 'auto', appSessionCookie: 'auto' });
    expect(spec.engineio).toBeUndefined();
    expect(spec.sessionRoute).toBeUndefined();
    expect(spec.shiny).toBeUndefined();
    expect(parseProbeSpec({ target: 'http://app.test/', protocol: 'http' }).protocol).toBe('http');
  });

  it('Shiny options: defaults, id syntax, only with shiny or auto, and Shiny sends its own requests', () => {
    expect(parseProbeSpec({ target: 'http://a.test/', protocol: 'shiny', shiny: {} }).shiny).toEqual({ route: 'auto', output: null, transport: 'auto' });
    expect(parseProbeSpec({ target: 'http://a.test/', shiny: { route: 'download', output: 'mod-report' } }).shiny).toEqual({ route: 'download', output: 'mod-report', transport: 'auto' });
    expect(parseProbeSpec({ target: 'http://a.test/', shiny: { transport: 'xhr-streaming' } }).shiny?.transport).toBe('xhr-streaming');
    const issues = (input: Record<string, unknown>) => (safeParseProbeSpec({ target: 'http://a.test/', ...input }) as { issues: string[] }).issues.join(' | ');
    expect(issues({ protocol: 'shiny', shiny: { route: 'plot', output: 'a b' } })).toMatch(/shiny.route.*shiny.output: should be an output id/);
    expect(issues({ protocol: 'http', shiny: {} })).toMatch(/Shiny options apply only to protocol shiny or auto/);
    expect(issues({ protocol: 'shiny', shiny: { transport: 'jsonp-polling' } })).toMatch(/shiny.transport/);
    expect(issues({ protocol: 'shiny', method: 'POST', body: 'x' })).toMatch(/a Shiny probe sends its own requests/);
  });

  it('fills engine.io defaults and checks them', () => {
    expect(parseProbeSpec({ target: 'http://a.test/', protocol: 'engineio', engineio: {} }).engineio).toEqual({
      path: '/socket.io/',
      version: 4,
      namespace: '/',
      upgrade: true,
    });
    const issues = (input: Record<string, unknown>) => (safeParseProbeSpec({ target: 'http://a.test/', ...input }) as { issues: string[] }).issues.join(' | ');
    expect(issues({ protocol: 'engineio', engineio: { path: 'socket.io', version: 5, namespace: 'chat' } })).toMatch(
      /engineio.path: should be a path.*engineio.version.*engineio.namespace: should be a namespace/,
    );
    expect(issues({ protocol: 'engineio', method: 'POST', body: 'x' })).toMatch(/engine.io probe sends its own requests/);
    expect(issues({ protocol: 'engineio', intervalMs: 30_000 })).toMatch(/at most 20000 ms for engine.io/);
    expect(issues({ engineio: {} })).toMatch(/engine.io options apply only to protocol engineio/);
  });

  it('a session route needs exactly one way to find its URL', () => {
    const issues = (sessionRoute: unknown) =>
      (safeParseProbeSpec({ target: 'http://a.test/', protocol: 'session-route', sessionRoute }) as { issues: string[] }).issues?.join(' | ') ?? '';
    expect(issues(undefined)).toMatch(/needs a regex or a JSON path/);
    expect(issues({})).toMatch(/give either a regex/);
    expect(issues({ extractRegex: 'a', extractJson: 'b' })).toMatch(/not both/);
    expect(issues({ extractRegex: '(' })).toMatch(/not a valid regular expression/);
    expect(issues({ extractRegex: 'x', breakStatuses: [99] })).toMatch(/breakStatuses/);
    expect(parseProbeSpec({ target: 'http://a.test/', protocol: 'session-route', sessionRoute: { extractJson: 'a.b' } }).sessionRoute).toEqual({
      extractJson: 'a.b',
      breakStatuses: [404, 410],
      bodyMarker: null,
    });
  });

  it('the app session cookie is auto, off or a cookie name', () => {
    expect(parseProbeSpec({ target: 'http://a.test/', appSessionCookie: 'JSESSIONID' }).appSessionCookie).toBe('JSESSIONID');
    expect(safeParseProbeSpec({ target: 'http://a.test/', appSessionCookie: 'bad name' }).ok).toBe(false);
  });
});

describe('probe spec limits', () => {
  it('takes at most PROBE_LIMITS.maxHeaders headers, refused with one problem before any name is read', () => {
    const headers = (n: number) => Object.fromEntries(Array.from({ length: n }, (_, i) => [`x-h${i}`, 'v']));
    expect(Object.keys(parseProbeSpec({ target: 'http://a.test/', headers: headers(PROBE_LIMITS.maxHeaders) }).headers)).toHaveLength(PROBE_LIMITS.maxHeaders);
    const r = safeParseProbeSpec({ target: 'http://a.test/', headers: Object.fromEntries(Array.from({ length: 100_000 }, (_, i) => [`bad name ${i}`, 'v'])) });
    expect(r).toEqual({ ok: false, issues: [`headers: at most ${PROBE_LIMITS.maxHeaders} headers`], issueCount: 1 });
  });

  it('takes at most PROBE_LIMITS.maxHeaderBytes of header names and values together', () => {
    const value = 'v'.repeat(8000);
    const headers = (n: number) => Object.fromEntries(Array.from({ length: n }, (_, i) => [`x-h${i}`, value]));
    expect(safeParseProbeSpec({ target: 'http://a.test/', headers: headers(4) }).ok).toBe(true);
    expect(safeParseProbeSpec({ target: 'http://a.test/', headers: headers(5) })).toEqual({
      ok: false,
      issues: ['headers: the headers together may have at most 32 KiB of names and values'],
      issueCount: 1,
    });
  });

  it('bounds the target URL, resolve entries and names', () => {
    const long = `http://a.test/${'p'.repeat(PROBE_LIMITS.maxUrlChars)}`;
    expect(safeParseProbeSpec({ target: long })).toMatchObject({ ok: false, issues: [expect.stringMatching(/^target: Too big/)] });
    expect(safeParseProbeSpec({ target: 'http://a.test/', resolve: Array.from({ length: 17 }, () => 'a.test:80:127.0.0.1') })).toMatchObject({ ok: false, issueCount: 1 });
    expect(safeParseProbeSpec({ target: 'http://a.test/', balancerCookie: 'c'.repeat(5000) }).ok).toBe(false);
  });

  it('answers the first 20 problems of many, with their count', () => {
    const r = safeParseProbeSpec({ target: 'http://a.test/', resolve: Array.from({ length: 16 }, (_, i) => `bad-${i}`), headers: { 'bad name': 'x' }, method: 'BREW', requests: 0 });
    if (r.ok) throw new Error('expected problems');
    expect(r.issues).toHaveLength(19);
    expect(r.issueCount).toBe(19);
    const many = safeParseProbeSpec({ target: 'http://a.test/', resolve: Array.from({ length: 16 }, (_, i) => `bad-${i}`), headers: Object.fromEntries(Array.from({ length: 10 }, (_, i) => [`bad ${i}`, 'x'])) });
    if (many.ok) throw new Error('expected problems');
    expect(many.issues).toHaveLength(20);
    expect(many.issueCount).toBe(26);
    expect(() => parseProbeSpec({ target: 'ftp://a.test/', requests: 0 })).toThrow(/^invalid probe: target: .*; requests: /);
  });
});
