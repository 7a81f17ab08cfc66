// Test-only: a `fetch` for the browser's RelayTransport answered by the dashboard's own relay route handlers, in
// process, so the page's transport and the routes are tested together without a built server.
const routes = {
  '/api/relay': () => import('@/app/api/relay/route'),
  '/api/relay/upgrade': () => import('@/app/api/relay/upgrade/route'),
  '/api/relay/socket': () => import('@/app/api/relay/socket/route'),
  '/api/relay/socket/send': () => import('@/app/api/relay/socket/send/route'),
  '/api/relay/socket/receive': () => import('@/app/api/relay/socket/receive/route'),
  '/api/relay/socket/close': () => import('@/app/api/relay/socket/close/route'),
} as const;

export type RelayRoutePath = keyof typeof routes;

/** Calls the POST handler of `path` with `body` as JSON, as the page would. */
export async function postRelayRoute(path: RelayRoutePath, body: unknown, signal?: AbortSignal): Promise<Response> {
  const route = await routes[path]();
  return route.POST(new Request(`http://dashboard.local${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body), signal }));
}

export const relayRouteFetch: typeof fetch = async (input, init) => {
  const path = String(input);
  if (!(path in routes)) return Response.json({ error: { code: 'not-found', message: path } }, { status: 404 });
  const route = await routes[path as RelayRoutePath]();
  return route.POST(new Request(`http://dashboard.local${path}`, init));
};
