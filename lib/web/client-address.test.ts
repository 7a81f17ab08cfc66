import { describe, expect, it } from 'vitest';
import { parseCidrList } from '@/lib/net/address';
import { clientAddress, PEER_HEADER, requestClientAddress } from './client-address';

const proxies = parseCidrList('10.0.0.0/8, fd00::/8').entries;

describe('clientAddress', () => {
  it('is the peer when the peer is no trusted proxy, whatever X-Forwarded-For claims', () => {
    expect(clientAddress('198.51.100.7', '203.0.113.1', proxies)).toBe('198.51.100.7');
    expect(clientAddress('::ffff:127.0.0.1', '203.0.113.1', proxies)).toBe('127.0.0.1');
    expect(clientAddress('198.51.100.7', null, [])).toBe('198.51.100.7');
  });

  it('walks X-Forwarded-For from the right past trusted proxies to the first address that is not one', () => {
    expect(clientAddress('10.0.0.2', '198.51.100.7', proxies)).toBe('198.51.100.7');
    expect(clientAddress('10.0.0.2', '198.51.100.7, 10.0.0.9, fd00::3', proxies)).toBe('198.51.100.7');
    expect(clientAddress('10.0.0.2', '198.51.100.7:51234', proxies)).toBe('198.51.100.7');
    expect(clientAddress('10.0.0.2', '[2001:db8::7]:51234', proxies)).toBe('2001:db8::7');
  });

  it('ignores spoofed entries left of the first untrusted address', () => {
    // The client sent "X-Forwarded-For: 127.0.0.1, 10.0.0.5"; the trusted proxy appended the address it saw.
    expect(clientAddress('10.0.0.2', '127.0.0.1, 10.0.0.5, 198.51.100.7', proxies)).toBe('198.51.100.7');
    // Several headers arrive joined with commas; the proxy's own entry is still the rightmost.
    expect(clientAddress('10.0.0.2', '1.1.1.1, 8.8.8.8, 198.51.100.7', proxies)).toBe('198.51.100.7');
  });

  it('is the leftmost proxy when every hop is trusted, and unknown when a trusted hop wrote something that is no address', () => {
    expect(clientAddress('10.0.0.2', '10.0.0.3, 10.0.0.4', proxies)).toBe('10.0.0.3');
    expect(clientAddress('10.0.0.2', null, proxies)).toBe('10.0.0.2');
    expect(clientAddress('10.0.0.2', 'unknown, 10.0.0.4', proxies)).toBeNull();
    expect(clientAddress(null, '198.51.100.7', proxies)).toBeNull();
  });

  it('stops after 32 trusted hops', () => {
    const chain = Array.from({ length: 40 }, (_, i) => `10.0.1.${i}`).join(', ');
    expect(clientAddress('10.0.0.2', `198.51.100.7, ${chain}`, proxies)).toBeNull();
  });

  it('reads the peer from the header the front sets, never from X-Real-IP', () => {
    const headers = new Headers({ [PEER_HEADER]: '198.51.100.7', 'x-forwarded-for': '127.0.0.1', 'x-real-ip': '127.0.0.1' });
    expect(requestClientAddress(headers, proxies)).toBe('198.51.100.7');
    expect(requestClientAddress(new Headers({ 'x-forwarded-for': '127.0.0.1' }), proxies)).toBeNull();
  });
});
