import { describe, expect, it } from 'vitest';
import { canonicalBaseUrl, hostAllowed, isOwnOrigin, parseHostList, toSite } from './site';

const local = toSite({ port: 3000, publicUrl: null, extraHosts: [], machineNames: ['build-box', '192.168.1.20', 'fe80::1%eth0'] });

describe('Host names a listener answers to', () => {
  it("answers the loopback names and the machine's own names on its port, however they are spelled", () => {
    for (const host of ['localhost:3000', 'LOCALHOST.:3000', '127.0.0.1:3000', '[::1]:3000', '[0:0::1]:3000', 'build-box:3000', '192.168.1.20:3000']) {
      expect(hostAllowed(local, host), host).toBe(true);
    }
  });

  it('refuses other names, other ports, a missing port that means 80, and no Host at all', () => {
    for (const host of ['attacker.example:3000', 'localhost:3001', 'localhost', '127.0.0.2:3000', 'localhost.attacker.example:3000', '', 'localhost:3000:1', 'a b:3000']) {
      expect(hostAllowed(local, host), host).toBe(false);
    }
    expect(hostAllowed(local, undefined)).toBe(false);
  });

  it('adds the public URL (a Host without a port means its default port) and the extra names', () => {
    const site = toSite({
      port: 3000,
      publicUrl: 'https://Stickyscope.Example.com',
      extraHosts: [{ host: 'dash.internal', port: null }, { host: 'ops.internal', port: 8080 }],
      machineNames: [],
    });
    expect(site.publicUrl).toBe('https://stickyscope.example.com');
    for (const host of ['stickyscope.example.com', 'stickyscope.example.com:443', 'dash.internal:3000', 'ops.internal:8080']) {
      expect(hostAllowed(site, host), host).toBe(true);
    }
    for (const host of ['stickyscope.example.com:3000', 'dash.internal', 'ops.internal:3000']) expect(hostAllowed(site, host), host).toBe(false);
  });

  it('answers a Host without a port on port 80', () => {
    const site = toSite({ port: 80, publicUrl: null, extraHosts: [], machineNames: [] });
    expect(hostAllowed(site, 'localhost')).toBe(true);
    expect(hostAllowed(site, 'localhost:80')).toBe(true);
  });
});

describe('own origins', () => {
  const site = toSite({ port: 3000, publicUrl: 'https://dash.example', extraHosts: [], machineNames: [] });

  it('are the allowed hosts on the listener scheme, and the public URL with its own scheme', () => {
    for (const origin of ['http://localhost:3000', 'http://127.0.0.1:3000', 'http://[::1]:3000', 'https://dash.example', 'https://dash.example:443']) {
      expect(isOwnOrigin(site, origin), origin).toBe(true);
    }
  });

  it('exclude other schemes, ports and hosts, and the opaque origin', () => {
    for (const origin of ['https://localhost:3000', 'http://localhost:3001', 'http://dash.example', 'https://attacker.example', 'null', '', 'http://localhost:3000/x']) {
      expect(isOwnOrigin(site, origin), origin).toBe(false);
    }
  });
});

describe('settings', () => {
  it('spell a base URL one way, and refuse paths, queries and credentials', () => {
    expect(canonicalBaseUrl('HTTPS://Dash.Example.:443/')).toBe('https://dash.example');
    expect(canonicalBaseUrl('http://[::1]:8080')).toBe('http://[::1]:8080');
    for (const bad of ['javascript:alert(1)', 'ftp://dash.example', 'https://dash.example/app', 'https://u:p@dash.example', 'https://dash.example/?x', 'dash.example']) {
      expect(canonicalBaseUrl(bad), bad).toBeNull();
    }
  });

  it('read host lists and name every bad entry', () => {
    expect(parseHostList(' dash.internal , [::1]:8080,,')).toEqual({ entries: [{ host: 'dash.internal', port: null }, { host: '::1', port: 8080 }], issues: [] });
    expect(parseHostList('ok, bad host, x:99999').issues).toEqual([
      '"bad host" is not a host or host:port such as stickyscope.internal:3000',
      '"x:99999" is not a host or host:port such as stickyscope.internal:3000',
    ]);
    expect(parseHostList(Array.from({ length: 65 }, (_, i) => `h${i}`).join(',')).issues[0]).toMatch(/at most 64/);
  });
});
