import { describe, expect, it } from 'vitest';
import { encodeStickyCookie } from '@/lib/traefik/cookie';
import { traefikCookieDecoder } from './traefik-decoder';

describe('traefikCookieDecoder', () => {
  it('names a sticky cookie value by server URL, only for its cookie name', () => {
    const urls = ['http://10.0.1.5:80', 'http://10.0.1.6:80'];
    const decode = traefikCookieDecoder(urls, '_1a2b3');
    expect(decode('_1a2b3', encodeStickyCookie(urls[1]!, 'sha256-16'))).toBe(urls[1]);
    expect(decode('_1a2b3', 'ffff')).toBeNull();
    expect(decode('other', encodeStickyCookie(urls[1]!, 'sha256-16'))).toBeNull();
  });
});
