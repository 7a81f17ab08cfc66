import { describe, expect, it } from 'vitest';
import { defaultProbeForm, parseProbeForm } from './form';

const form = (over: Partial<typeof defaultProbeForm>) => ({ ...defaultProbeForm, target: 'http://127.0.0.1:18101/', ...over });

describe('parseProbeForm', () => {
  it('turns the default form into a spec', () => {
    const r = parseProbeForm(form({}));
    expect(r.ok).toBe(true);
    if (r.ok) {
      expect(r.spec).toMatchObject({ target: 'http://127.0.0.1:18101/', requests: 100, intervalMs: 10, concurrency: 1, identity: 'auto', cookies: 'browser' });
      expect(r.mode).toBe('relay');
    }
  });

  it('puts each spec issue on its field', () => {
    const r = parseProbeForm(
      form({ target: 'not a url', requests: '0', concurrency: 'lots', identityKind: 'bodyRegex', identityValue: '(', headers: 'Cookie: a=b\nbroken', resolve: 'x' }),
    );
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors.target?.[0]).toMatch(/not an absolute URL/);
    expect(r.errors.requests?.[0]).toBeDefined();
    expect(r.errors.concurrency?.[0]).toMatch(/not a number/);
    expect(r.errors.identityValue?.[0]).toMatch(/regular expression/);
    expect(r.errors.headers?.join(' ')).toMatch(/line 2/);
    expect(r.errors.headers?.join(' ')).toMatch(/Cookie is not allowed/);
    expect(r.errors.resolve?.[0]).toMatch(/host:port:address/);
  });

  it('reads identity, headers and overrides', () => {
    const r = parseProbeForm(
      form({ target: 'http://app.test:8080/', identityKind: 'header', identityValue: 'X-Pod', headers: 'X-Trace: 1', resolve: 'app.test:8080:127.0.0.1', stopAtFirstBreak: true }),
    );
    expect(r.ok && r.spec).toMatchObject({
      identity: { header: 'x-pod' },
      headers: { 'X-Trace': '1' },
      resolve: [{ host: 'app.test', port: 8080, address: '127.0.0.1' }],
      stopAtFirstBreak: true,
    });
  });

  it('refuses address overrides in direct mode and a missing identity value', () => {
    const r = parseProbeForm(form({ mode: 'direct', resolve: '127.0.0.1:18101:127.0.0.1', identityKind: 'cookie' }));
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors.resolve?.[0]).toMatch(/relay mode/);
    expect(r.errors.identityValue?.[0]).toMatch(/name the header/);
  });
});

describe('parseProbeForm: protocols', () => {
  it('engine.io fields become the spec options', () => {
    const r = parseProbeForm(form({ protocol: 'engineio', eioPath: '/ws/', eioVersion: '3', eioNamespace: '/chat', eioUpgrade: false, appSessionCookie: 'off' }));
    expect(r.ok && r.spec).toMatchObject({ protocol: 'engineio', engineio: { path: '/ws/', version: 3, namespace: '/chat', upgrade: false }, appSessionCookie: 'off' });
  });

  it('session-route fields, and their errors on their own fields', () => {
    const ok = parseProbeForm(form({ protocol: 'session-route', extractKind: 'json', extractValue: 'x.url', breakStatuses: '404, 500', bodyMarker: 'expired' }));
    expect(ok.ok && ok.spec.sessionRoute).toEqual({ extractJson: 'x.url', breakStatuses: [404, 500], bodyMarker: 'expired' });
    const bad = parseProbeForm(form({ protocol: 'session-route', extractValue: '', breakStatuses: '404, lots', eioPath: 'ignored' }));
    expect(bad.ok).toBe(false);
    if (bad.ok) return;
    expect(bad.errors.extractValue?.[0]).toMatch(/needs a regex or a JSON path/);
    expect(bad.errors.breakStatuses?.[0]).toMatch(/"lots" is not an HTTP status/);
    expect(bad.errors.eioPath).toBeUndefined();
    const regex = parseProbeForm(form({ protocol: 'session-route', extractValue: '(' }));
    expect(!regex.ok && regex.errors.extractValue?.[0]).toMatch(/regular expression/);
  });

  it('engine.io options are checked on their fields', () => {
    const r = parseProbeForm(form({ protocol: 'engineio', eioPath: 'socket.io', intervalMs: '30000' }));
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors.eioPath?.[0]).toMatch(/should be a path/);
    expect(r.errors.intervalMs?.[0]).toMatch(/at most 20000 ms/);
  });
});
