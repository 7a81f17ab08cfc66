// Names Traefik sticky cookie values by server URL, using the topology's candidate URLs.
import { decodeStickyCookie } from '@/lib/traefik/cookie';
import type { CookieDecoder } from './identity';

/**
 * A decoder for one run. Decoding hashes every candidate, so answers are memoised per value: a run sees only as
 * many distinct values as there are servers.
 */
export function traefikCookieDecoder(candidateUrls: string[], cookieName?: string): CookieDecoder {
  const memo = new Map<string, string | null>();
  return (name, value) => {
    if (cookieName !== undefined && name !== cookieName) return null;
    let url = memo.get(value);
    if (url === undefined) {
      url = decodeStickyCookie(value, candidateUrls)?.url ?? null;
      if (memo.size < 1024) memo.set(value, url);
    }
    return url;
  };
}
