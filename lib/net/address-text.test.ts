import { describe, expect, it } from 'vitest';
import { addressScope } from './address';
import { replaceAddresses } from './address-text';

/** Non-public addresses as `<canonical>`, public ones kept: shows what was found and how it was read. */
const mark = (text: string) => replaceAddresses(text, (ip) => (addressScope(ip) === 'public' ? null : `<${ip.toString()}>`));

describe('replaceAddresses', () => {
  it('finds addresses in text, URLs, overrides and ranges, with and without ports', () => {
    expect(mark('http://10.0.0.1:80/, [fd00::2]:443 and 8.8.8.8, 10.0.0.1 again')).toBe('http://<10.0.0.1>:80/, <fd00::2>:443 and 8.8.8.8, <10.0.0.1> again');
    expect(mark('app.test:80:10.0.0.5 and app.test:443:fd00::5')).toBe('app.test:80:<10.0.0.5> and app.test:443:<fd00::5>');
    expect(mark('172.20.0.3/24, 100.64.12.34:9000, 169.254.169.254')).toBe('<172.20.0.3>/24, <100.64.12.34>:9000, <169.254.169.254>');
    expect(mark('fd00::5: connection refused; ends fd00::1.')).toBe('<fd00::5>: connection refused; ends <fd00::1>.');
    expect(mark('listening on [::]:80 and 0.0.0.0:80')).toBe('listening on <::>:80 and <0.0.0.0>:80');
    expect(mark('dial tcp 169.254.169.254:80: i/o timeout')).toBe('dial tcp <169.254.169.254>:80: i/o timeout');
  });

  it('reads every spelling a URL parser accepts, the way a connection would', () => {
    expect(mark('http://0xa.0.0.5/ http://167772165:80/x http://10.1/ http://[::ffff:10.0.0.5]:80/')).toBe(
      'http://<10.0.0.5>/ http://<10.0.0.5>:80/x http://<10.0.0.1>/ http://<10.0.0.5>:80/',
    );
    expect(mark('::ffff:10.0.0.5 and ::FFFF:a00:5 and 0:0:0:0:0:0:0:1')).toBe('<10.0.0.5> and <10.0.0.5> and <::1>');
    expect(mark('fe80::1%eth0 and http://[fe80::1%25eth0]:80/')).toBe('<fe80::1> and http://<fe80::1>:80/');
    expect(mark('http://user:pw@127.0.0.1:3000/')).toBe('http://user:pw@<127.0.0.1>:3000/');
  });

  it('counts both readings of a zero-padded address', () => {
    // A URL parser reads 010 as octal (8.0.0.5, public); a person reads 10.0.0.5.
    expect(mark('010.000.000.005')).toBe('<10.0.0.5>');
  });

  it('splits a port from an unbracketed IPv6 address', () => {
    // `::1:3000` is itself a valid (public) address; the loopback address with a port is what was meant.
    expect(mark('::1:3000 and [::1]:3000 and ::1')).toBe('<::1>:3000 and <::1>:3000 and <::1>');
  });

  it('keeps public addresses and what only looks like an address', () => {
    const plain = 'dns 8.8.8.8, 2606:4700:4700::1111, version 1.10.0.0.1, at 12:30:45, mac 02:42:ac:11:00:02, std::vector, a :: b, 10.1 and 10.2';
    expect(mark(plain)).toBe(plain);
  });
});
