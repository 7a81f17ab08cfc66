import { describe, expect, it } from 'vitest';
import { dashboardBaseUrl, shareBaseUrl, shareUrl } from './links';

const none = { publicUrl: null, sharePort: null, shareUrl: null };

describe('link base URLs', () => {
  it('come from the public URL when it is set, whatever Host the request had', () => {
    const config = { ...none, publicUrl: 'https://dash.example' };
    expect(dashboardBaseUrl(config, 'localhost:3000')).toBe('https://dash.example');
    expect(shareUrl(shareBaseUrl(config, 'localhost:3000')!, 'abc')).toBe('https://dash.example/r/abc');
  });

  it("otherwise come from the request's Host on the listener's scheme, in its canonical spelling", () => {
    expect(dashboardBaseUrl(none, 'LocalHost.:3000')).toBe('http://localhost:3000');
    expect(dashboardBaseUrl(none, '[0::1]:3000')).toBe('http://[::1]:3000');
    expect(dashboardBaseUrl(none, 'dash.internal')).toBe('http://dash.internal');
  });

  it('never take a Host that is not one', () => {
    for (const bad of ['javascript:alert(1)//', 'a b', 'evil.example/x', 'x@evil.example', '']) expect(dashboardBaseUrl(none, bad), bad).toBeNull();
    expect(dashboardBaseUrl(none, null)).toBeNull();
  });

  it('point at the share listener when there is one: its public URL, or the same host on its port', () => {
    expect(shareBaseUrl({ ...none, sharePort: 3100 }, '127.0.0.1:3000')).toBe('http://127.0.0.1:3100');
    expect(shareBaseUrl({ ...none, sharePort: 3100, publicUrl: 'https://dash.example', shareUrl: 'https://reports.example' }, 'x:3000')).toBe('https://reports.example');
  });

  it('escape the share id', () => {
    expect(shareUrl('http://h', 'a/b?c')).toBe('http://h/r/a%2Fb%3Fc');
  });
});
