// What the share listener serves: shared report pages and the files they load, nothing else. Pure.
//
// Its port may be given to people who must never reach the API, the reports list or the relay, so the list is
// closed: anything not named here is 404 there, whatever the main listener would answer.

import { SHARE_FILE_NAMES } from '@/lib/reports/share-files';

/**
 * `/r/<id>` (the page and its RSC requests, which add only a query), with or without a trailing slash, and the
 * redacted files it offers, `/r/<id>/report.json` and the like.
 */
const SHARE_PAGE = new RegExp(`^/r/[^/]+(?:/(?:${SHARE_FILE_NAMES.map((name) => name.replace('.', '\\.')).join('|')}))?/?$`);
const FILES = new Set(['/icon.svg', '/favicon.ico']);
const PREFIXES = ['/_next/static/'];
/** `next dev` serves its compiled chunks, HMR socket, fonts and error overlay's helpers under these. */
const DEV_PREFIXES = ['/_next/', '/__nextjs'];

export function servedOnShareListener(pathname: string, dev: boolean): boolean {
  if (SHARE_PAGE.test(pathname) || FILES.has(pathname)) return true;
  return (dev ? DEV_PREFIXES : PREFIXES).some((prefix) => pathname.startsWith(prefix));
}
