// Whether two URLs are the same site, as browsers decide which cookies go along with a request: the same scheme and
// the same registrable domain (eTLD+1, from the public-suffix list); ports do not count. An IP address or a name with
// no registrable domain is a site of its own. Used to tell what a browser does with its own cookies in direct mode.
import { getPublicSuffix } from 'tough-cookie';
import { isIpAddress } from './url';

type SiteUrl = Pick<URL, 'protocol' | 'hostname'>;

export function siteOf(url: SiteUrl): string {
  const host = url.hostname.replace(/^\[|\]$/g, '').toLowerCase();
  const registrable = isIpAddress(host) ? null : getPublicSuffix(host, { allowSpecialUseDomain: true, ignoreError: true });
  return `${url.protocol}//${registrable ?? host}`;
}

export function isSameSite(a: SiteUrl, b: SiteUrl): boolean {
  return siteOf(a) === siteOf(b);
}
