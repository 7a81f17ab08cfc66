import { describe, expect, it } from 'vitest';
import { buildAllowlist, checkTarget, isAllowed, mayReachAddress, parseTargetEntry, parseTargetList } from './allowlist';

describe('parseTargetEntry', () => {
  it('reads hosts, host:port and bracketed IPv6, normalised', () => {
    expect(parseTargetEntry('App.Example.')).toEqual({ host: 'app.example', port: null });
    expect(parseTargetEntry('127.0.0.1:18101')).toEqual({ host: '127.0.0.1', port: 18101 });
    expect(parseTargetEntry('[::1]')).toEqual({ host: '::1', port: null });
    expect(parseTargetEntry('[::1]:8443')).toEqual({ host: '::1', port: 8443 });
  });

  it('explains what is not an entry', () => {
    expect(parseTargetEntry('http://x.example')).toMatch(/not a hostname/);
    expect(parseTargetEntry('x.example:0')).toMatch(/port must be/);
    expect(parseTargetEntry('x.example:70000')).toMatch(/port must be/);
    expect(parseTargetEntry('bad host')).toMatch(/not a hostname/);
    expect(parseTargetEntry('a/b')).toMatch(/not a hostname/);
  });

  it('lists every problem of a comma-separated setting and skips blanks', () => {
    const r = parseTargetList('a.example, ,b.example:8080,,nope!');
    expect(r.entries).toEqual([
      { host: 'a.example', port: null },
      { host: 'b.example', port: 8080 },
    ]);
    expect(r.issues).toHaveLength(1);
  });
});

describe('checkTarget', () => {
  const list = buildAllowlist({
    configured: [
      { host: '127.0.0.1', port: 18101 },
      { host: 'lab.test', port: null },
    ],
    routerHosts: ['Shop.Example.com'],
    lab: [{ host: 'demo.localhost', port: 4100 }],
  });

  it('allows router hosts on any port, configured hosts with or without a port, and lab hosts', () => {
    expect(isAllowed(list, 'shop.example.com', 443)).toBe(true);
    expect(isAllowed(list, 'SHOP.example.com.', 8080)).toBe(true);
    expect(isAllowed(list, '127.0.0.1', 18101)).toBe(true);
    expect(isAllowed(list, '127.0.0.1', 18102)).toBe(false);
    expect(isAllowed(list, 'lab.test', 1)).toBe(true);
    expect(isAllowed(list, 'demo.localhost', 4100)).toBe(true);
    expect(isAllowed(list, 'demo.localhost', 4101)).toBe(false);
  });

  it('refuses anything else with a message naming the setting', () => {
    const r = checkTarget(list, { host: 'evil.example', port: 80 });
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.message).toContain('STICKYSCOPE_ALLOWED_TARGETS');
      expect(r.message).toContain('evil.example:80');
    }
    expect(checkTarget(list, { host: 'lab.test', port: 80 })).toEqual({ ok: true });
  });

  it('requires an address override to point at an allowed address too', () => {
    const via = (address: string) => checkTarget(list, { host: 'lab.test', port: 80 }, [{ host: 'lab.test', port: 80, address }]);
    const denied = via('10.0.0.5');
    expect(denied.ok).toBe(false);
    if (!denied.ok) expect(denied.message).toMatch(/10\.0\.0\.5.*STICKYSCOPE_ALLOWED_TARGETS/);
    const open = buildAllowlist({ configured: [{ host: '127.0.0.1', port: null }, { host: 'lab.test', port: null }], routerHosts: [] });
    expect(checkTarget(open, { host: 'lab.test', port: 80 }, [{ host: 'lab.test', port: 80, address: '127.0.0.1' }])).toEqual({ ok: true });
    // An override is judged whatever it is for: every one must stay inside the allowlist.
    expect(checkTarget(list, { host: 'lab.test', port: 80 }, [{ host: 'lab.test', port: 81, address: '10.0.0.5' }]).ok).toBe(false);
    const elsewhere = checkTarget(open, { host: 'lab.test', port: 80 }, [{ host: 'other.test', port: 80, address: '127.0.0.1' }]);
    expect(elsewhere.ok).toBe(false);
    if (!elsewhere.ok) expect(elsewhere.message).toMatch(/other\.test:80, which is not an allowed target.*STICKYSCOPE_ALLOWED_TARGETS/);
  });

  it('compares every spelling of a host by one key: trailing dot, case, IDNA, IPv4 shorthand, IPv6 forms', () => {
    const strict = buildAllowlist({ configured: [{ host: 'app.example.com', port: 8080 }, { host: '127.0.0.1', port: 8080 }, { host: '::1', port: 8080 }], routerHosts: ['bücher.example'] });
    expect(isAllowed(strict, 'APP.example.com.', 8080)).toBe(true);
    expect(isAllowed(strict, 'app.example.com.', 6379)).toBe(false);
    expect(isAllowed(strict, '0x7f.1', 8080)).toBe(true);
    expect(isAllowed(strict, '0:0:0:0:0:0:0:1', 8080)).toBe(true);
    expect(isAllowed(strict, 'xn--bcher-kva.example', 443)).toBe(true);
    // The attack: an allowed name with a trailing dot, and an override for it to an allowed address on a port
    // that only the override's spelling would have matched.
    const r = checkTarget(strict, { host: 'app.example.com.', port: 6379 }, [{ host: 'app.example.com', port: 6379, address: '127.0.0.1' }]);
    expect(r.ok).toBe(false);
  });

  it('reaches link-local and metadata addresses only when the setting names them', () => {
    const viaRouter = buildAllowlist({ configured: [{ host: 'app.test', port: null }], routerHosts: ['169.254.169.254', 'fd00:ec2::254'] });
    for (const address of ['169.254.169.254', 'fd00:ec2::254']) {
      const r = checkTarget(viaRouter, { host: 'app.test', port: 80 }, [{ host: 'app.test', port: 80, address }]);
      expect(r.ok, address).toBe(false);
      if (!r.ok) expect(r.message).toMatch(/metadata.*STICKYSCOPE_ALLOWED_TARGETS/);
    }
    expect(checkTarget(viaRouter, { host: '169.254.169.254', port: 80 }).ok).toBe(false);
    const named = buildAllowlist({ configured: [{ host: 'app.test', port: null }, { host: '169.254.169.254', port: 80 }], routerHosts: [] });
    expect(checkTarget(named, { host: 'app.test', port: 80 }, [{ host: 'app.test', port: 80, address: '169.254.169.254' }])).toEqual({ ok: true });
    expect(mayReachAddress(named, '169.254.169.254', 80)).toBe(true);
    expect(mayReachAddress(named, '169.254.1.1', 80)).toBe(false);
    expect(mayReachAddress(named, '10.0.0.1', 80)).toBe(true);
  });

  it('allows nothing when nothing is configured', () => {
    expect(checkTarget(buildAllowlist({ configured: [], routerHosts: [] }), { host: '127.0.0.1', port: 80 }).ok).toBe(false);
  });
});
