// Refuses state-changing requests sent by another site's pages. Pure.
//
// A form on any web page can POST to the dashboard with the visitor's network position (the dashboard is often on
// loopback or an internal network), whatever the content type the route later insists on. Browsers say where a
// request came from in Sec-Fetch-Site and Origin; clients that send neither (the CLI, curl, other servers) are not
// pages another site controls, so they pass.

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** Whether a request can change state: every method but GET, HEAD and OPTIONS. */
export function isStateChanging(method: string | undefined): boolean {
  return !SAFE_METHODS.has((method ?? '').toUpperCase());
}

/** Why a request is refused as cross-site, or null when it may go on; `isOwnOrigin` knows the dashboard's origins. */
export function crossSiteRefusal(isOwnOrigin: (origin: string) => boolean, secFetchSite: string | undefined, origin: string | undefined): string | null {
  if (secFetchSite !== undefined && secFetchSite !== 'same-origin' && secFetchSite !== 'none') {
    return "cross-site request refused: Sec-Fetch-Site says another site's page sent it; only the dashboard's own pages may change anything";
  }
  if (origin !== undefined && !isOwnOrigin(origin)) {
    return "cross-site request refused: its Origin is not this dashboard's; only the dashboard's own pages may change anything";
  }
  return null;
}
