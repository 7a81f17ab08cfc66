import { describe, expect, it } from 'vitest';
import { defaultProbeForm, parseProbeForm, probeFormFromSpec } from './form';

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

  it('Shiny fields: the route kind and output id become the spec options, for shiny and for auto', () => {
    const shiny = parseProbeForm(form({ protocol: 'shiny', shinyRoute: 'download', shinyOutput: ' report ' }));
    expect(shiny.ok && shiny.spec).toMatchObject({ protocol: 'shiny', shiny: { route: 'download', output: 'report' } });
    const auto = parseProbeForm(form({ shinyRoute: 'dataobj' }));
    expect(auto.ok && auto.spec).toMatchObject({ protocol: 'auto', shiny: { route: 'dataobj', output: null } });
    const plain = parseProbeForm(form({}));
    expect(plain.ok && plain.spec.shiny).toBeUndefined();
    // Options of a protocol not chosen stay in the form and out of the spec.
    const http = parseProbeForm(form({ protocol: 'http', shinyRoute: 'upload', shinyOutput: 'file' }));
    expect(http.ok && http.spec.shiny).toBeUndefined();
  });

  it('Shiny options are checked on their fields, and a Shiny probe needs relay mode', () => {
    const bad = parseProbeForm(form({ protocol: 'shiny', shinyOutput: 'my table' }));
    expect(!bad.ok && bad.errors.shinyOutput?.[0]).toMatch(/output id like table/);
    const direct = parseProbeForm(form({ protocol: 'shiny', mode: 'direct' }));
    expect(!direct.ok && direct.errors.protocol?.[0]).toMatch(/use relay mode/);
  });

  it('a stored Shiny spec gives back the form it came from', () => {
    const r = parseProbeForm(form({ protocol: 'shiny', shinyRoute: 'upload', shinyOutput: 'file', requests: '40' }));
    if (!r.ok) throw new Error('form refused');
    const back = probeFormFromSpec(r.spec);
    expect(back).toMatchObject({ protocol: 'shiny', shinyRoute: 'upload', shinyOutput: 'file', requests: '40' });
    expect(parseProbeForm(back)).toEqual(r);
  });
});
