import { describe, expect, it } from 'vitest';
import { canonicalIp, inCidrs, isMetadataAddress, isNonPublicIp, parseCidr, parseCidrList, scopeOf } from './address';
import { hostKey, hostPortKey, parseHostPort, sameHost } from './host-key';
import { bodySchema, headerValueSchema, isHeaderValue } from './http-bytes';

describe('hostKey', () => {
  it('gives one key to every spelling of the same host', () => {
    expect(hostKey('App.Example.COM.')).toBe('app.example.com');
    expect(hostKey(' app.example.com ')).toBe('app.example.com');
    expect(hostKey('ÄPP.example')).toBe(hostKey('xn--pp-uia.example'));
    expect(hostKey('０x7f.1')).toBe('127.0.0.1');
    expect(hostKey('127.1')).toBe('127.0.0.1');
    expect(hostKey('2130706433')).toBe('127.0.0.1');
    expect(hostKey('127.0.0.1.')).toBe('127.0.0.1');
    expect(hostKey('[::FFFF:127.0.0.1]')).toBe('::ffff:7f00:1');
    expect(hostKey('0:0:0:0:0:0:0:1')).toBe('::1');
    expect(hostKey('[FD00:EC2:0::254]')).toBe('fd00:ec2::254');
  });

  it('refuses what is not a host', () => {
    for (const bad of ['', ' ', 'app:80', 'a/b', 'a?b', 'user@a', 'a\\b', 'a%2ecom', 'a b', 'a..b', 'a.b..', '[::1', 'a\r\nb', '[a]', 'x'.repeat(64), 'nope!', '*.example', 'a$b']) {
      expect(hostKey(bad), bad).toBeNull();
    }
  });

  it('compares and joins with ports', () => {
    expect(sameHost('APP.example.', 'app.example')).toBe(true);
    expect(sameHost('a', 'b')).toBe(false);
    expect(hostPortKey('::1', 80)).toBe('[::1]:80');
    expect(hostPortKey('Host.', 8080)).toBe('host:8080');
  });
});

describe('parseHostPort', () => {
  it('splits a Host header or an authority into a host key and a port', () => {
    expect(parseHostPort('App.Example.:8080')).toEqual({ host: 'app.example', port: 8080 });
    expect(parseHostPort('app.example')).toEqual({ host: 'app.example', port: null });
    expect(parseHostPort('[0::1]:3000')).toEqual({ host: '::1', port: 3000 });
    expect(parseHostPort('[::1]')).toEqual({ host: '::1', port: null });
    expect(parseHostPort('::1')).toEqual({ host: '::1', port: null });
    expect(parseHostPort('127.1:80')).toEqual({ host: '127.0.0.1', port: 80 });
  });

  it('refuses what is not one', () => {
    for (const bad of ['', 'a:', 'a:0', 'a:65536', 'a:1x', '[::1]:', '[::1]x', 'a b:80', 'javascript:alert(1)//', 'user@a:80', '[a]:80']) {
      expect(parseHostPort(bad), bad).toBeNull();
    }
  });
});

describe('address scopes', () => {
  it('classifies by range, whatever the spelling', () => {
    expect(scopeOf('8.8.8.8')).toBe('public');
    expect(scopeOf('0x7f.0.0.1')).toBe('loopback');
    expect(scopeOf('::1')).toBe('loopback');
    expect(scopeOf('::ffff:10.1.2.3')).toBe('internal');
    expect(scopeOf('100.64.0.1')).toBe('internal');
    expect(scopeOf('172.31.255.255')).toBe('internal');
    expect(scopeOf('172.32.0.1')).toBe('public');
    expect(scopeOf('fd12:3456::1')).toBe('internal');
    expect(scopeOf('169.254.169.254')).toBe('link-local');
    expect(scopeOf('fe80::1')).toBe('link-local');
    expect(scopeOf('0.0.0.0')).toBe('unspecified');
    expect(scopeOf('app.example')).toBeNull();
  });

  it('knows metadata addresses', () => {
    expect(isMetadataAddress('169.254.169.254')).toBe(true);
    expect(isMetadataAddress('[::ffff:169.254.169.254]')).toBe(true);
    expect(isMetadataAddress('fd00:ec2::254')).toBe(true);
    expect(isMetadataAddress('fd00:ec2::253')).toBe(false);
    expect(isMetadataAddress('10.0.0.5')).toBe(false);
    expect(isNonPublicIp('10.0.0.5')).toBe(true);
    expect(isNonPublicIp('1.1.1.1')).toBe(false);
    expect(canonicalIp('[0:0::1]')).toBe('::1');
  });

  it('matches CIDR ranges and reports bad ones', () => {
    const { entries, issues } = parseCidrList('10.0.0.0/8, fd00::/8, 192.168.1.7, bogus, 10.0.0.0/33');
    expect(entries).toHaveLength(3);
    expect(issues).toHaveLength(2);
    expect(inCidrs('10.9.8.7', entries)).toBe(true);
    expect(inCidrs('::ffff:10.9.8.7', entries)).toBe(true);
    expect(inCidrs('fd99::1', entries)).toBe(true);
    expect(inCidrs('192.168.1.7', entries)).toBe(true);
    expect(inCidrs('192.168.1.8', entries)).toBe(false);
    expect(inCidrs('name', entries)).toBe(false);
    expect(parseCidr('::ffff:10.0.0.0/104')).not.toBeTypeOf('string');
  });
});

describe('header bytes', () => {
  it('accepts what Node sends unchanged and nothing else', () => {
    expect(isHeaderValue('Bearer abc\tdef é')).toBe(true);
    expect(isHeaderValue('\u00ff')).toBe(true);
    for (const bad of ['a\r\nb', 'a\nb', 'a\0', '\u010d\u010a', 'č', '😀', '\x7f']) expect(isHeaderValue(bad), JSON.stringify(bad)).toBe(false);
  });

  it('names the offending character', () => {
    const r = headerValueSchema(100).safeParse('ok\u010d\u010aX-Evil: 1');
    expect(r.success).toBe(false);
    expect(r.error?.issues[0]?.message).toMatch(/U\+010D at position 2/);
  });

  it('measures bodies in UTF-8 bytes', () => {
    expect(bodySchema(6).safeParse('aaaaaa').success).toBe(true);
    expect(bodySchema(6).safeParse('ééé').success).toBe(true);
    expect(bodySchema(6).safeParse('éééé').success).toBe(false);
  });
});
