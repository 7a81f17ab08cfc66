import { describe, expect, it } from 'vitest';
import { BrowserCookieJar } from './jar';
import { toProbeUrl } from './url';

const NOW = Date.UTC(2025, 0, 1);
const jar = (now = () => NOW) => new BrowserCookieJar({ now });

const httpApp = toProbeUrl('http://app.test/');
const httpsApp = toProbeUrl('https://app.test/');
const loop = toProbeUrl('http://127.0.0.1:8080/');

describe('Secure over http', () => {
  it('rejects a Secure cookie from an http URL and never sends it', () => {
    const j = jar();
    const [e] = j.setCookies(httpApp, ['SRV=s1; Secure; Path=/']);
    expect(e).toMatchObject({ name: 'SRV', value: 's1', outcome: 'rejected', reason: 'secure-over-http' });
    expect(j.size).toBe(0);
    expect(j.cookieHeaderFor(httpApp).header).toBeNull();
  });

  it('stores it from https, then withholds it from http with the rule', () => {
    const j = jar();
    const [e] = j.setCookies(httpsApp, ['SRV=s1; Secure; Path=/']);
    expect(e).toMatchObject({ outcome: 'stored', secureVia: 'https' });
    expect(j.cookieHeaderFor(httpsApp)).toMatchObject({ header: 'SRV=s1', sent: ['SRV'] });
    expect(j.cookieHeaderFor(httpApp)).toMatchObject({ header: null, sent: [], withheld: [{ name: 'SRV', reason: 'secure-over-http' }] });
  });

  it.each(['http://127.0.0.1:8080/', 'http://127.8.9.10/', 'http://localhost:3000/', 'http://app.localhost/', 'http://[::1]:8080/'])(
    'treats %s as a secure context (Chromium loopback rule) and says so',
    (href) => {
      const u = toProbeUrl(href);
      const j = jar();
      const [e] = j.setCookies(u, ['SRV=s1; Secure']);
      expect(e).toMatchObject({ outcome: 'stored', secureVia: 'loopback' });
      expect(j.cookieHeaderFor(u).header).toBe('SRV=s1');
    },
  );

  it('does not treat a name merely starting with 127 or containing localhost as loopback', () => {
    for (const href of ['http://127.0.0.1.test/', 'http://localhost.test/', 'http://128.0.0.1/']) {
      const [e] = jar().setCookies(toProbeUrl(href), ['SRV=s1; Secure']);
      expect(e?.reason).toBe('secure-over-http');
    }
  });
});

describe('SameSite and Partitioned', () => {
  it('rejects SameSite=None without Secure, even on https', () => {
    const j = jar();
    expect(j.setCookies(httpsApp, ['a=1; SameSite=None'])[0]).toMatchObject({ outcome: 'rejected', reason: 'samesite-none-insecure' });
    expect(j.setCookies(httpsApp, ['a=1; SameSite=None; Secure'])[0]).toMatchObject({ outcome: 'stored' });
  });
  it('keeps Lax/Strict cookies and sends them (same-site requests)', () => {
    const j = jar();
    j.setCookies(httpApp, ['a=1; SameSite=Strict', 'b=2; SameSite=Lax', 'c=3; SameSite=bogus']);
    expect(j.cookieHeaderFor(httpApp).header).toBe('a=1; b=2; c=3');
  });
  it('rejects Partitioned without Secure', () => {
    expect(jar().setCookies(httpsApp, ['p=1; Partitioned'])[0]?.reason).toBe('partitioned-insecure');
  });
});

describe('expiry', () => {
  it('Max-Age=0 deletes an existing cookie', () => {
    const j = jar();
    j.setCookies(httpApp, ['sid=abc']);
    const [e] = j.setCookies(httpApp, ['sid=; Max-Age=0']);
    expect(e).toMatchObject({ outcome: 'deleted', previousValue: 'abc' });
    expect(j.size).toBe(0);
    expect(j.cookieHeaderFor(httpApp).header).toBeNull();
  });
  it('a past Expires deletes; deleting nothing is reported without previous value', () => {
    const j = jar();
    j.setCookies(httpApp, ['sid=abc; Path=/']);
    expect(j.setCookies(httpApp, ['sid=x; Path=/; Expires=Thu, 01 Jan 1970 00:00:00 GMT'])[0]).toMatchObject({ outcome: 'deleted', previousValue: 'abc' });
    expect(j.setCookies(httpApp, ['other=x; Max-Age=-5'])[0]).toMatchObject({ outcome: 'deleted', previousValue: null });
  });
  it('Max-Age beats Expires', () => {
    const j = jar();
    j.setCookies(httpApp, ['a=1; Max-Age=60; Expires=Thu, 01 Jan 1970 00:00:00 GMT']);
    expect(j.size).toBe(1);
  });
  it('expires a cookie when its time comes, even with a cached header', () => {
    let now = NOW;
    const j = jar(() => now);
    j.setCookies(httpApp, ['a=1; Max-Age=10', 'b=2']);
    expect(j.cookieHeaderFor(httpApp).header).toBe('a=1; b=2');
    now += 9_999;
    expect(j.cookieHeaderFor(httpApp).header).toBe('a=1; b=2');
    now += 1;
    expect(j.cookieHeaderFor(httpApp).header).toBe('b=2');
    expect(j.size).toBe(1);
  });
  it('a re-issue with a shorter Max-Age moves the expiry earlier', () => {
    let now = NOW;
    const j = jar(() => now);
    j.setCookies(httpApp, ['a=1; Max-Age=100']);
    expect(j.cookieHeaderFor(httpApp).header).toBe('a=1');
    j.setCookies(httpApp, ['a=1; Max-Age=5']);
    now += 6_000;
    expect(j.cookieHeaderFor(httpApp).header).toBeNull();
  });
});

describe('domain and host-only', () => {
  const sub = toProbeUrl('http://api.app.test/');
  const other = toProbeUrl('http://other.test/');

  it('a host-only cookie goes to the exact host only', () => {
    const j = jar();
    j.setCookies(httpApp, ['h=1']);
    expect(j.cookieHeaderFor(httpApp).header).toBe('h=1');
    expect(j.cookieHeaderFor(sub)).toMatchObject({ header: null, withheld: [{ name: 'h', reason: 'domain' }] });
  });
  it('a Domain cookie goes to subdomains too', () => {
    const j = jar();
    j.setCookies(httpApp, ['d=1; Domain=.app.test']);
    expect(j.cookieHeaderFor(sub).header).toBe('d=1');
    expect(j.cookieHeaderFor(other).withheld).toEqual([{ name: 'd', reason: 'domain' }]);
  });
  it('rejects a Domain that does not cover the host, or a public suffix', () => {
    const j = jar();
    expect(j.setCookies(httpApp, ['a=1; Domain=other.test'])[0]?.reason).toBe('domain-mismatch');
    expect(j.setCookies(toProbeUrl('http://www.example.com/'), ['a=1; Domain=com'])[0]?.reason).toBe('public-suffix-domain');
    expect(j.setCookies(sub, ['a=1; Domain=api.app.test'])[0]?.outcome).toBe('stored');
  });
  it('on an IP host allows only Domain=<that IP>, as host-only', () => {
    const j = jar();
    expect(j.setCookies(loop, ['a=1; Domain=127.0.0.2'])[0]?.reason).toBe('domain-mismatch');
    expect(j.setCookies(loop, ['a=1; Domain=127.0.0.1'])[0]?.outcome).toBe('stored');
    expect(j.toJSON()[0]).toMatchObject({ hostOnly: true, domain: '127.0.0.1' });
  });
  it('keeps a host-only and a Domain cookie of the same name apart, as Chromium does', () => {
    const j = jar();
    j.setCookies(httpApp, ['x=host', 'x=dom; Domain=app.test']);
    expect(j.size).toBe(2);
    expect(j.cookieHeaderFor(httpApp).header).toBe('x=host; x=dom');
  });
});

describe('path scoping', () => {
  it('uses the directory of the request path as default path', () => {
    const j = jar();
    j.setCookies(toProbeUrl('http://app.test/app/login'), ['a=1']);
    expect(j.toJSON()[0]?.path).toBe('/app');
    expect(j.cookieHeaderFor(toProbeUrl('http://app.test/app/x')).header).toBe('a=1');
    expect(j.cookieHeaderFor(toProbeUrl('http://app.test/application')).withheld).toEqual([{ name: 'a', reason: 'path' }]);
    expect(j.cookieHeaderFor(httpApp).withheld).toEqual([{ name: 'a', reason: 'path' }]);
  });
  it('orders longer paths first, then older cookies', () => {
    const j = jar();
    const deep = toProbeUrl('http://app.test/a/b/c');
    j.setCookies(deep, ['root=1; Path=/', 'deep=2; Path=/a/b', 'root2=3; Path=/']);
    expect(j.cookieHeaderFor(deep).header).toBe('deep=2; root=1; root2=3');
  });
  it('a new value moves a cookie to the back; the same value with new attributes keeps its place (as Chromium)', () => {
    const j = jar();
    j.setCookies(httpApp, ['a=1', 'b=1', 'c=1', 'd=1']);
    j.setCookies(httpApp, ['a=2', 'b=1; HttpOnly', 'c=1; Max-Age=3600']);
    expect(j.cookieHeaderFor(httpApp).header).toBe('b=1; c=1; d=1; a=2');
  });

  it('ignores a Path that does not start with /', () => {
    const j = jar();
    j.setCookies(toProbeUrl('http://app.test/x/y'), ['a=1; Path=relative']);
    expect(j.toJSON()[0]?.path).toBe('/x');
  });
});

describe('prefixes', () => {
  it('__Secure- needs Secure', () => {
    expect(jar().setCookies(httpsApp, ['__Secure-a=1'])[0]?.reason).toBe('secure-prefix');
    expect(jar().setCookies(httpsApp, ['__Secure-a=1; Secure'])[0]?.outcome).toBe('stored');
    expect(jar().setCookies(httpsApp, ['__secure-a=1'])[0]?.reason).toBe('secure-prefix');
  });
  it('__Host- needs Secure, no Domain and Path=/', () => {
    expect(jar().setCookies(httpsApp, ['__Host-a=1; Secure; Path=/'])[0]?.outcome).toBe('stored');
    expect(jar().setCookies(httpsApp, ['__Host-a=1; Secure'])[0]?.reason).toBe('host-prefix');
    expect(jar().setCookies(httpsApp, ['__Host-a=1; Secure; Path=/; Domain=app.test'])[0]?.reason).toBe('host-prefix');
    expect(jar().setCookies(httpsApp, ['__Host-a=1; Path=/'])[0]?.reason).toBe('host-prefix');
  });
  it('a prefixed Secure cookie on plain http fails on Secure first', () => {
    expect(jar().setCookies(httpApp, ['__Host-a=1; Secure; Path=/'])[0]?.reason).toBe('secure-over-http');
  });
  it('a nameless cookie may not carry a prefix in its value', () => {
    expect(jar().setCookies(httpsApp, ['__Host-a'])[0]?.reason).toBe('host-prefix');
  });
});

describe('updates and garbage', () => {
  it('reports stored, updated (value change with previous value) and unchanged re-issue', () => {
    const j = jar();
    expect(j.setCookies(httpApp, ['SRV=s1'])[0]).toMatchObject({ outcome: 'stored', previousValue: null });
    expect(j.setCookies(httpApp, ['SRV=s1'])[0]).toMatchObject({ outcome: 'updated', previousValue: null });
    expect(j.setCookies(httpApp, ['SRV=s2'])[0]).toMatchObject({ outcome: 'updated', previousValue: 's1' });
    expect(j.cookieHeaderFor(httpApp).header).toBe('SRV=s2');
  });
  it('reports garbage lines as rejected with a reason and never throws', () => {
    const j = jar();
    const events = j.setCookies(httpApp, ['', '=', ';;;', 'a\u0001b=1', `big=${'x'.repeat(5000)}`, 'ok=1', 'bar', '=baz']);
    expect(events.map((e) => [e.outcome, e.reason])).toEqual([
      ['rejected', 'empty'],
      ['rejected', 'empty'],
      ['rejected', 'empty'],
      ['rejected', 'disallowed-character'],
      ['rejected', 'too-large'],
      ['stored', null],
      ['stored', null],
      ['updated', null],
    ]);
    // Nameless cookies are sent as their bare value; the second replaced the first (same empty name).
    expect(j.cookieHeaderFor(httpApp).header).toBe('ok=1; baz');
  });
  it('refuses to let an insecure page shadow a Secure cookie', () => {
    const j = jar();
    j.setCookies(httpsApp, ['s=secret; Secure; Path=/']);
    expect(j.setCookies(httpApp, ['s=evil; Path=/'])[0]?.reason).toBe('overwrite-secure');
    expect(j.setCookies(httpsApp, ['s=fine; Path=/'])[0]?.outcome).toBe('updated');
  });
  it('in store:false mode checks every rule but keeps nothing', () => {
    const j = new BrowserCookieJar({ now: () => NOW, store: false });
    const events = j.setCookies(httpApp, ['SRV=s1', 'S=1; Secure']);
    expect(events.map((e) => e.reason)).toEqual(['cookies-disabled', 'secure-over-http']);
    expect(j.cookieHeaderFor(httpApp).header).toBeNull();
  });
});

describe('hot path and serialisation', () => {
  it('returns the same header object while nothing changes, and a new one after a change', () => {
    const j = jar();
    j.setCookies(httpApp, ['SRV=s1']);
    const a = j.cookieHeaderFor(httpApp);
    j.setCookies(httpApp, ['SRV=s1']);
    expect(j.cookieHeaderFor(httpApp)).toBe(a);
    j.setCookies(httpApp, ['SRV=s2']);
    const b = j.cookieHeaderFor(httpApp);
    expect(b).not.toBe(a);
    expect(b.header).toBe('SRV=s2');
  });
  it('accepts string URLs too', () => {
    const j = jar();
    j.setCookies('http://app.test/x', ['a=1; Path=/']);
    expect(j.cookieHeaderFor('http://app.test/').header).toBe('a=1');
  });
  it('round-trips through JSON', () => {
    const j = jar();
    j.setCookies(httpApp, ['a=1', 'b=2; Max-Age=100']);
    const k = BrowserCookieJar.fromJSON(JSON.parse(JSON.stringify(j.toJSON())), { now: () => NOW });
    expect(k.cookieHeaderFor(httpApp).header).toBe('a=1; b=2');
    expect(k.setCookies(httpApp, ['c=3'])[0]?.outcome).toBe('stored');
    expect(k.cookieHeaderFor(httpApp).header).toBe('a=1; b=2; c=3');
  });
});
