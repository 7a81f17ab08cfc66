import { describe, expect, it } from 'vitest';
import { defaultProbeForm, parseProbeForm, probeFormFromSpec, type ProbeFormValues } from '@/lib/probe/form';
import { CREDENTIAL_HEADERS, CREDENTIAL_PARAMS, PLAIN_NAMES } from '@/lib/net/test/credential-names';
import { parseProbeSearchParams, probeHref, type ProbeSearchParams } from './search-params';

/** The search params a Next.js page receives for `href`: repeated keys as arrays. */
function searchParamsOf(href: string): ProbeSearchParams {
  const sp: ProbeSearchParams = {};
  for (const [key, value] of new URL(href, 'http://dashboard.test').searchParams) {
    const prev = sp[key];
    sp[key] = prev === undefined ? value : [...(Array.isArray(prev) ? prev : [prev]), value];
  }
  return sp;
}

function specOf(values: Partial<ProbeFormValues>) {
  const r = parseProbeForm({ ...defaultProbeForm, ...values });
  if (!r.ok) throw new Error(`test form is invalid: ${JSON.stringify(r.errors)}`);
  return r.spec;
}

describe('parseProbeSearchParams', () => {
  it('prefills target, overrides, numbers, modes and identity', () => {
    const { form, serviceId } = parseProbeSearchParams({
      target: 'http://shop.example/',
      resolve: ['shop.example:80:127.0.0.1', 'a:1:127.0.0.2,b:2:127.0.0.3'],
      requests: '500',
      interval: '0',
      concurrency: 'x',
      cookies: 'none',
      mode: 'direct',
      stop: '1',
      identity: 'header:X-Pod',
      service: 'abc123',
    });
    expect(form).toMatchObject({
      target: 'http://shop.example/',
      resolve: 'shop.example:80:127.0.0.1\na:1:127.0.0.2\nb:2:127.0.0.3',
      requests: '500',
      intervalMs: '0',
      concurrency: '1',
      cookies: 'none',
      mode: 'direct',
      stopAtFirstBreak: true,
      identityKind: 'header',
      identityValue: 'X-Pod',
    });
    expect(serviceId).toBe('abc123');
  });

  it('drops what does not fit and keeps defaults', () => {
    const { form, serviceId } = parseProbeSearchParams({ cookies: 'maybe', identity: 'weird:x', service: '../etc' });
    expect(form.cookies).toBe('browser');
    expect(form.identityKind).toBe('auto');
    expect(serviceId).toBeNull();
  });

  it('builds the Service page link', () => {
    expect(probeHref({ target: 'https://shop.example/', serviceId: 's1', balancerCookie: 'srv_id' })).toBe(
      '/probes?target=https%3A%2F%2Fshop.example%2F&service=s1&balancer=srv_id',
    );
  });

  it('carries address overrides that the Probe page reads back (lab services)', () => {
    const href = probeHref({ target: 'http://sticky-ok.lab.test:4100/', resolve: 'sticky-ok.lab.test:4100:127.0.0.1' });
    expect(parseProbeSearchParams(searchParamsOf(href)).form.resolve).toBe('sticky-ok.lab.test:4100:127.0.0.1');
  });
});

describe('protocol fields in the URL', () => {
  const common: Partial<ProbeFormValues> = {
    target: 'http://chat.example:8080/app',
    resolve: 'chat.example:8080:127.0.0.1',
    requests: '40',
    intervalMs: '0',
    concurrency: '2',
    timeoutMs: '5000',
    cookies: 'none',
    identityKind: 'jsonField',
    identityValue: 'meta.host',
    balancerCookie: 'SRV',
    stopAtFirstBreak: true,
    headers: 'X-Trace: a, b\nAccept: text/html',
    appSessionCookie: 'JSESSIONID',
  };
  const runs: [string, Partial<ProbeFormValues>][] = [
    ['auto (the default)', {}],
    ['auto with Shiny options', { shinyRoute: 'dataobj', shinyOutput: 'orders-table' }],
    ['http', { protocol: 'http' }],
    ['shiny', { protocol: 'shiny', shinyRoute: 'download', shinyOutput: 'report' }],
    ['engineio', { protocol: 'engineio', eioPath: '/app/socket.io/', eioVersion: '3', eioNamespace: '/chat', eioUpgrade: false }],
    ['session-route (regex)', { protocol: 'session-route', extractValue: '"url":"(session/[^"]+)"', breakStatuses: '404, 500', bodyMarker: 'session expired' }],
    ['session-route (JSON path)', { protocol: 'session-route', extractKind: 'json', extractValue: 'x.ajax.url', appSessionCookie: 'off' }],
  ];

  it.each(runs)('%s: spec → form → link → form gives back the same form and the same spec', (_, values) => {
    const spec = specOf({ ...common, ...values });
    const form = probeFormFromSpec(spec);
    const prefill = parseProbeSearchParams(searchParamsOf(probeHref({ ...form, serviceId: 'svc-1' })));
    expect(prefill).toEqual({ form, serviceId: 'svc-1' });
    expect(parseProbeForm(prefill.form)).toEqual({ ok: true, spec, mode: 'relay' });
  });

  it('a link carries the mode, and only what differs from the defaults', () => {
    const href = probeHref({ ...probeFormFromSpec(specOf({ target: 'http://app.test/' }), 'direct') });
    expect(href).toBe('/probes?target=http%3A%2F%2Fapp.test%2F&mode=direct');
    expect(parseProbeSearchParams(searchParamsOf(href)).form.mode).toBe('direct');
  });

  it('a link never carries headers with credentials', () => {
    const href = probeHref({
      target: 'http://app.test/',
      headers: 'Authorization: Bearer abc\nX-Api-Key: k\nX-Auth-Token: t\nproxy-authorization: Basic x\nX-Tenant: acme',
    });
    expect(searchParamsOf(href).header).toBe('X-Tenant: acme');
    expect(href).not.toMatch(/abc|Basic|X-Api-Key|Token/i);
  });

  it('a link never carries credential headers or credential query parameters of the target, and keeps the rest', () => {
    // A link prefills at most 16 header lines.
    const plain = PLAIN_NAMES.filter((n) => /^[A-Z]/.test(n)).slice(0, 16).map((name) => `${name}: plain`);
    const headers = [...CREDENTIAL_HEADERS.map((name, i) => `${name}: hdr-secret-${i}`), ...plain];
    const query = [...CREDENTIAL_PARAMS.map((name, i) => `${name}=param-secret-${i}`), 'page=2', 'lang=en', 'promo_code=SPRING'].join('&');
    const href = probeHref({ target: `http://app.test/cb?${query}`, headers: headers.join('\n') });
    expect(href).not.toMatch(/secret-\d/);
    const { form } = parseProbeSearchParams(searchParamsOf(href));
    expect(form.target).toBe('http://app.test/cb?page=2&lang=en&promo_code=SPRING');
    expect(form.headers.split('\n')).toEqual(plain);
  });

  it('fills the protocol fields from hand-written parameters', () => {
    const { form } = parseProbeSearchParams({
      protocol: 'engineio',
      'eio-path': '/ws/',
      'eio-version': '3',
      namespace: '/admin',
      upgrade: '0',
      'app-session': 'auto',
    });
    expect(form).toMatchObject({ protocol: 'engineio', eioPath: '/ws/', eioVersion: '3', eioNamespace: '/admin', eioUpgrade: false, appSessionCookie: '' });
    expect(parseProbeSearchParams({ protocol: 'shiny', 'shiny-route': 'upload', 'shiny-output': 'files' }).form).toMatchObject({ protocol: 'shiny', shinyRoute: 'upload', shinyOutput: 'files' });
  });

  it('a Probe link to a Shiny page needs no protocol: auto is the default, and an http run says http', () => {
    expect(probeHref(probeFormFromSpec(specOf({ target: 'http://shiny.test/' })))).toBe('/probes?target=http%3A%2F%2Fshiny.test%2F');
    expect(searchParamsOf(probeHref(probeFormFromSpec(specOf({ target: 'http://a.test/', protocol: 'http' })))).protocol).toBe('http');
  });

  it('drops values that do not fit and keeps the defaults', () => {
    const { form } = parseProbeSearchParams({
      protocol: 'gopher',
      'eio-path': 'socket.io',
      'eio-version': '5',
      namespace: 'chat',
      'extract-json': 'a.b\nc',
      'break-status': '404, nope',
      'break-marker': 'line\nbreak',
      'app-session': 'not a cookie',
      'shiny-route': 'websocket',
      'shiny-output': 'a\nb',
      header: ['no colon', 'Bad Name: x', 'X-Ok: 1'],
      identity: 'json:',
    });
    // An empty identity source is kept: the form explains what is missing.
    expect(form).toEqual({ ...defaultProbeForm, headers: 'X-Ok: 1', identityKind: 'jsonField', identityValue: '' });
  });

  it('keeps a regex over a JSON path when a hand-written link gives both', () => {
    const { form } = parseProbeSearchParams({ 'extract-regex': 'sid=(\\w+)', 'extract-json': 'x.url' });
    expect(form).toMatchObject({ extractKind: 'regex', extractValue: 'sid=(\\w+)' });
  });
});
