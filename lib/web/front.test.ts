import { describe, expect, it } from 'vitest';
import type { WebConfig } from './config';
import { createFront, type FrontAnswer, type FrontRequest } from './front';

const config: WebConfig = { port: 3000, publicUrl: null, allowedHosts: [], sharePort: 3100, shareUrl: null, trustedProxies: [] };
const front = createFront(config, ['build-box'], false);

function request(over: Partial<FrontRequest> & { host?: string | null; extra?: Record<string, string> } = {}): FrontRequest {
  const { host = 'localhost:3000', extra = {}, ...rest } = over;
  const headers = { ...(host === null ? {} : { host }), ...extra };
  return { method: 'GET', url: '/', peer: '127.0.0.1', headers, rawHeaders: Object.entries(headers).flat(), ...rest };
}

function refused(answer: FrontAnswer) {
  if (answer.admitted) throw new Error('expected a refusal');
  return answer;
}

function admitted(answer: FrontAnswer) {
  if (!answer.admitted) throw new Error(`expected admission, got ${answer.status}: ${answer.body}`);
  return answer;
}

describe('the front door', () => {
  it('answers 421 to a rebinding Host on every path, naming the settings', () => {
    for (const url of ['/', '/api/topology', '/_next/static/chunks/main.js', '/api/relay']) {
      const answer = refused(front.admit('main', request({ url, host: 'attacker.example:3000', method: url === '/api/relay' ? 'POST' : 'GET' })));
      expect(answer.status, url).toBe(421);
      expect(answer.body).toContain('STICKYSCOPE_ALLOWED_HOSTS');
    }
    expect(refused(front.admit('main', request({ host: null }))).body).toContain('the request has no Host header');
    expect(JSON.parse(refused(front.admit('main', request({ url: '/api/reports', host: 'x' }))).body)).toMatchObject({ error: { code: 'misdirected' } });
  });

  it('answers 400 to a second Host header, whichever comes first', () => {
    const twoHosts = { ...request(), rawHeaders: ['Host', 'localhost:3000', 'host', 'attacker.example'] };
    expect(refused(front.admit('main', twoHosts)).status).toBe(400);
  });

  it('answers 400 to paths the router would choke on or read differently', () => {
    for (const url of ['/reports/%ff', '/api/reports/%E0%A4%A', '/%', '/_next/static/%2e%2e/x', '/a/../api', '//attacker.example/', '/a\\b', 'http://localhost:3000/']) {
      const answer = refused(front.admit('main', request({ url })));
      expect(answer.status, url).toBe(400);
    }
    admitted(front.admit('main', request({ url: '/reports/caf%C3%A9?q=%ff' })));
    admitted(front.admit('main', request({ url: '/.well-known/x' })));
  });

  it('refuses writes from other sites, whatever the content type, and lets through clients that send neither header', () => {
    const post = (extra: Record<string, string>) => front.admit('main', request({ method: 'POST', url: '/api/lab/services/x/reset', extra }));
    const crossSite: Record<string, string>[] = [
      { 'sec-fetch-site': 'cross-site', 'content-type': 'application/x-www-form-urlencoded' },
      { 'sec-fetch-site': 'same-site' },
      { origin: 'http://attacker.example' },
      { origin: 'null' },
      { origin: 'http://localhost:3001' },
      { origin: 'https://localhost:3000' },
      { 'sec-fetch-site': 'same-origin', origin: 'http://attacker.example' },
    ];
    for (const extra of crossSite) {
      const answer = refused(post(extra));
      expect(answer.status, JSON.stringify(extra)).toBe(403);
      expect(JSON.parse(answer.body)).toMatchObject({ error: { code: 'cross-site' } });
    }
    admitted(post({}));
    admitted(post({ 'sec-fetch-site': 'same-origin', origin: 'http://localhost:3000' }));
    admitted(post({ 'sec-fetch-site': 'none' }));
    for (const method of ['DELETE', 'PATCH', 'PUT']) expect(refused(front.admit('main', request({ method, extra: { origin: 'http://evil' } }))).status).toBe(403);
    // Reading is not writing: a link from another site opens a page.
    admitted(front.admit('main', request({ extra: { 'sec-fetch-site': 'cross-site' } })));
  });

  it('checks an upgrade like a write', () => {
    expect(refused(front.admit('main', request({ url: '/_next/webpack-hmr', upgrade: true, extra: { origin: 'http://attacker.example' } }))).status).toBe(403);
    admitted(front.admit('main', request({ url: '/_next/webpack-hmr', upgrade: true, extra: { origin: 'http://localhost:3000' } })));
  });

  it('puts the security headers on refusals and admissions, with a fresh nonce on every page', () => {
    const first = admitted(front.admit('main', request({ url: '/reports' })));
    const second = admitted(front.admit('main', request({ url: '/reports' })));
    const nonce = /'nonce-([A-Za-z0-9+/=]+)'/.exec(first.headers['Content-Security-Policy']!)?.[1];
    expect(nonce).toHaveLength(24);
    expect(second.headers['Content-Security-Policy']).not.toContain(nonce);
    expect(first.headers['Content-Security-Policy']).toMatch(/frame-ancestors 'none'/);
    expect(first.headers['Content-Security-Policy']).not.toContain('unsafe-eval');
    // Next reads the nonce from the request's own policy header.
    expect(first.requestHeaders['content-security-policy']).toBe(first.headers['Content-Security-Policy']);
    for (const answer of [first, refused(front.admit('main', request({ host: 'x' }))), admitted(front.admit('main', request({ url: '/api/topology' })))]) {
      expect(answer.headers).toMatchObject({ 'X-Content-Type-Options': 'nosniff', 'X-Frame-Options': 'DENY', 'Referrer-Policy': 'same-origin' });
      expect(answer.headers['Permissions-Policy']).toContain('camera=()');
    }
    expect(admitted(front.admit('main', request({ url: '/api/topology' }))).headers['Content-Security-Policy']).toBe(
      "default-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
    );
    expect(createFront(config, [], true).admit('main', request({ url: '/' })).headers['Content-Security-Policy']).toContain("'unsafe-eval'");
  });

  it('tells the app the socket peer, replacing whatever the client sent under that name', () => {
    const answer = admitted(front.admit('main', request({ peer: '198.51.100.7', extra: { 'x-stickyscope-peer': '127.0.0.1' } })));
    expect(answer.requestHeaders['x-stickyscope-peer']).toBe('198.51.100.7');
  });

  it('serves only share pages and their files on the share listener, on its own port', () => {
    const share = (url: string, method = 'GET') => front.admit('share', request({ url, method, host: '127.0.0.1:3100' }));
    for (const url of ['/r/AbC_123', '/r/AbC_123?_rsc=1x2', '/r/AbC_123/report.json', '/r/AbC_123/records.csv', '/_next/static/chunks/app.js', '/icon.svg?x1', '/favicon.ico']) {
      admitted(share(url));
    }
    for (const url of ['/', '/reports', '/reports/abc', '/api/reports', '/api/health', '/probes', '/r/', '/r/a/b', '/r/a/reportXjson', '/r/a/report.json/x', '/_next/image?url=x', '/api/relay']) {
      expect(refused(share(url)).status, url).toBe(404);
    }
    expect(refused(share('/api/relay', 'POST')).status).toBe(404);
    // Development serves its chunks, HMR socket and fonts from more places under /_next/ and /__nextjs.
    const dev = createFront(config, [], true);
    for (const url of ['/_next/hmr', '/__nextjs_font/geist-latin.woff2']) {
      expect(refused(share(url)).status, url).toBe(404);
      admitted(dev.admit('share', request({ url, host: '127.0.0.1:3100' })));
    }
    expect(refused(dev.admit('share', request({ url: '/api/reports', host: '127.0.0.1:3100' }))).status).toBe(404);
    expect(refused(front.admit('share', request({ url: '/r/abc', host: '127.0.0.1:3000' }))).status).toBe(421);
    expect(refused(front.admit('main', request({ url: '/r/abc', host: '127.0.0.1:3100' }))).status).toBe(421);
  });

  it("answers the dashboard's own names on the share port too, where share links without a share URL point", () => {
    const named = createFront({ ...config, publicUrl: 'https://dash.example', allowedHosts: [{ host: 'dash.internal', port: null }] }, [], false);
    for (const host of ['dash.example:3100', 'dash.internal:3100']) admitted(named.admit('share', request({ url: '/r/abc', host })));
    for (const host of ['dash.example', 'dash.internal:3000', 'attacker.example:3100']) expect(refused(named.admit('share', request({ url: '/r/abc', host }))).status, host).toBe(421);
    const withShareUrl = createFront({ ...config, shareUrl: 'https://reports.example' }, [], false);
    admitted(withShareUrl.admit('share', request({ url: '/r/abc', host: 'reports.example' })));
    expect(refused(withShareUrl.admit('main', request({ url: '/r/abc', host: 'reports.example' }))).status).toBe(421);
  });
});
