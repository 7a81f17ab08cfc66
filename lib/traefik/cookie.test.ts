import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  decodeStickyCookie,
  defaultCookieName,
  encodeStickyCookie,
  sanitizeCookieName,
  stickyCookieName,
  stickyCookieSchemeFor,
  stickyCookieSchemes,
} from './cookie';
import { fnv1_64, fnv1a64, sha1Hex, sha256Hex } from './digest';

const URL_A = 'http://10.0.1.5:80';
const URL_B = 'http://10.0.1.6:80';

describe('digests', () => {
  it('match the published FNV-64 test vectors', () => {
    expect(fnv1a64('')).toBe(0xcbf29ce484222325n);
    expect(fnv1a64('a')).toBe(0xaf63dc4c8601ec8cn);
    expect(fnv1_64('a')).toBe(0xaf63bd4c8601b7ben);
    expect(fnv1a64('foobar')).toBe(0x85944171f73967e8n);
  });

  it('SHA-1 and SHA-256 agree with node:crypto across block boundaries and UTF-8', () => {
    for (const text of ['', 'abc', 'x'.repeat(55), 'y'.repeat(56), 'z'.repeat(64), 'ünïcode ✓', 'a'.repeat(1000)]) {
      expect(sha1Hex(text)).toBe(createHash('sha1').update(text).digest('hex'));
      expect(sha256Hex(text)).toBe(createHash('sha256').update(text).digest('hex'));
    }
  });
});

describe('encodeStickyCookie', () => {
  it('produces the known values for http://10.0.1.5:80', () => {
    expect(encodeStickyCookie(URL_A, 'sha256-16')).toBe('b4e215ace41bed91');
    expect(encodeStickyCookie(URL_A, 'fnv1a64')).toBe('63661225b6141ab2');
    expect(encodeStickyCookie(URL_A, 'raw-url')).toBe(URL_A);
  });

  it('hashes the 16-digit FNV-1a hex again with FNV-1 for v3.0–3.3.3', () => {
    expect(encodeStickyCookie(URL_A, 'fnv1-of-fnv1a')).toBe(fnv1_64('63661225b6141ab2').toString(16));
    expect(encodeStickyCookie(URL_A, 'fnv1-of-fnv1a')).toBe('be10bad327f55687');
  });

  it('pads the inner hash to 16 digits but leaves the outer one unpadded, as Go formats them', () => {
    // Find a URL whose FNV-1a hex has a leading zero, so padding matters.
    let url = '';
    for (let i = 0; i < 5000 && !url; i++) {
      if (fnv1a64(`http://10.0.${i}.1:80`) < 0x1000000000000000n) url = `http://10.0.${i}.1:80`;
    }
    expect(url).not.toBe('');
    const padded = fnv1a64(url).toString(16).padStart(16, '0');
    expect(encodeStickyCookie(url, 'fnv1-of-fnv1a')).toBe(fnv1_64(padded).toString(16));
    expect(encodeStickyCookie(url, 'fnv1a64')).toBe(fnv1a64(url).toString(16));
    expect(encodeStickyCookie(url, 'fnv1a64').length).toBeLessThan(16);
  });
});

describe('decodeStickyCookie', () => {
  it('round-trips every scheme to the right candidate', () => {
    for (const scheme of stickyCookieSchemes) {
      expect(decodeStickyCookie(encodeStickyCookie(URL_B, scheme), [URL_A, URL_B])).toEqual({ url: URL_B, scheme });
    }
  });

  it('decodes the fixed values', () => {
    expect(decodeStickyCookie('b4e215ace41bed91', [URL_B, URL_A])).toEqual({ url: URL_A, scheme: 'sha256-16' });
    expect(decodeStickyCookie('63661225b6141ab2', [URL_B, URL_A])).toEqual({ url: URL_A, scheme: 'fnv1a64' });
    expect(decodeStickyCookie('B4E215ACE41BED91', [URL_A])?.scheme).toBe('sha256-16');
  });

  it('matches a raw URL with or without a trailing slash, and a weighted child by name', () => {
    expect(decodeStickyCookie(`${URL_A}/`, [URL_A])).toEqual({ url: URL_A, scheme: 'raw-url' });
    expect(decodeStickyCookie('whoami-v2@swarm', ['whoami-v1@swarm', 'whoami-v2@swarm'])?.url).toBe('whoami-v2@swarm');
  });

  it('returns null when nothing matches', () => {
    expect(decodeStickyCookie('deadbeefdeadbeef', [URL_A, URL_B])).toBeNull();
    expect(decodeStickyCookie('', [URL_A])).toBeNull();
    expect(decodeStickyCookie(URL_A, [])).toBeNull();
  });
});

describe('cookie names', () => {
  it('generates _ plus five hex digits of SHA-1 over _TRAEFIK_BACKEND_<service>', () => {
    const expected = `_${createHash('sha1').update('_TRAEFIK_BACKEND_whoami@swarm').digest('hex').slice(0, 5)}`;
    expect(defaultCookieName('whoami@swarm')).toBe(expected);
    expect(defaultCookieName('whoami@swarm')).toHaveLength(6);
    expect(defaultCookieName('whoami@docker')).toBe('_633ff');
  });

  it('sanitises configured names and falls back to the generated one', () => {
    expect(sanitizeCookieName('my cookie;v=1')).toBe('my_cookie_v_1');
    expect(stickyCookieName('chocolat', 'canary@myprovider')).toBe('chocolat');
    expect(stickyCookieName(null, 'whoami@docker')).toBe('_633ff');
  });
});

describe('stickyCookieSchemeFor', () => {
  it('follows the version history', () => {
    expect(stickyCookieSchemeFor('1.7.34', 'loadbalancer')).toBe('raw-url');
    expect(stickyCookieSchemeFor('2.4.14', 'loadbalancer')).toBe('raw-url');
    expect(stickyCookieSchemeFor('v2.5.0', 'loadbalancer')).toBe('fnv1a64');
    expect(stickyCookieSchemeFor('2.11.53', 'weighted')).toBe('raw-url');
    expect(stickyCookieSchemeFor('3.0.0', 'loadbalancer')).toBe('fnv1-of-fnv1a');
    expect(stickyCookieSchemeFor('3.3.3', 'weighted')).toBe('fnv1-64');
    expect(stickyCookieSchemeFor('3.3.4', 'loadbalancer')).toBe('sha256-16');
    expect(stickyCookieSchemeFor('3.6.0', 'weighted')).toBe('sha256-16');
    expect(stickyCookieSchemeFor('dev', 'loadbalancer')).toBeNull();
  });
});
