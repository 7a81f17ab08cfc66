import { describe, expect, it } from 'vitest';
import { isSameSite, siteOf } from './site';

const u = (s: string) => new URL(s);

describe('isSameSite', () => {
  it('ignores ports and subdomains of one registrable domain', () => {
    expect(isSameSite(u('http://127.0.0.1:3100/probes'), u('http://127.0.0.1:18080/'))).toBe(true);
    expect(isSameSite(u('http://localhost:3100/'), u('http://localhost:18080/'))).toBe(true);
    expect(isSameSite(u('https://dash.example.com/'), u('https://shop.example.com/'))).toBe(true);
    expect(siteOf(u('http://sticky-ok.lab.test:4100/'))).toBe('http://lab.test');
  });

  it('tells apart other names, other IPs and other schemes', () => {
    expect(isSameSite(u('http://127.0.0.1:3100/'), u('http://localhost:18080/'))).toBe(false);
    expect(isSameSite(u('http://127.0.0.1/'), u('http://127.0.0.2/'))).toBe(false);
    expect(isSameSite(u('http://example.com/'), u('https://example.com/'))).toBe(false);
    expect(isSameSite(u('https://a.github.io/'), u('https://b.github.io/'))).toBe(false);
    expect(isSameSite(u('http://[::1]:3000/'), u('http://[::1]:4000/'))).toBe(true);
  });
});
