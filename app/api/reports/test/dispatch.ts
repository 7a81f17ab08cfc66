// A `fetch` that hands requests for /api/reports/** straight to the route handlers, for tests that drive the report
// API the way the browser does without starting a server.
import * as collection from '../route';
import * as runs from '../runs/route';
import * as report from '../[id]/route';
import * as records from '../[id]/records/route';
import * as finish from '../[id]/finish/route';
import * as experiments from '../[id]/experiments/route';
import * as shares from '../[id]/shares/route';
import * as share from '../[id]/shares/[shareId]/route';

export const TEST_ORIGIN = 'http://dashboard.test';

// `never` params accept every route's own params type; each route reads only the names its pattern gives it.
type Handler = (request: Request, context: { params: Promise<never> }) => Promise<Response>;
type Module = Partial<Record<'GET' | 'POST' | 'DELETE', Handler>>;

const routes: [RegExp, Module, string[]][] = [
  [/^\/api\/reports$/, collection as Module, []],
  [/^\/api\/reports\/runs$/, runs as Module, []],
  [/^\/api\/reports\/([^/]+)$/, report as Module, ['id']],
  [/^\/api\/reports\/([^/]+)\/records$/, records as Module, ['id']],
  [/^\/api\/reports\/([^/]+)\/finish$/, finish as Module, ['id']],
  [/^\/api\/reports\/([^/]+)\/experiments$/, experiments as Module, ['id']],
  [/^\/api\/reports\/([^/]+)\/shares$/, shares as Module, ['id']],
  [/^\/api\/reports\/([^/]+)\/shares\/([^/]+)$/, share as Module, ['id', 'shareId']],
];

export const dispatch: typeof fetch = async (input, init) => {
  const request = new Request(new URL(String(input), TEST_ORIGIN), init);
  const path = new URL(request.url).pathname;
  for (const [pattern, module, names] of routes) {
    const m = pattern.exec(path);
    if (!m) continue;
    const handler = module[request.method as 'GET' | 'POST' | 'DELETE'];
    if (!handler) return new Response(null, { status: 405 });
    const params = Object.fromEntries(names.map((n, i) => [n, decodeURIComponent(m[i + 1] ?? '')]));
    return handler(request, { params: Promise.resolve(params) as Promise<never> });
  }
  return new Response(null, { status: 404 });
};

export async function call(path: string, init: RequestInit & { json?: unknown } = {}) {
  const { json, ...rest } = init;
  const response = await dispatch(path, {
    ...rest,
    ...(json === undefined ? {} : { method: rest.method ?? 'POST', body: JSON.stringify(json), headers: { 'content-type': 'application/json', ...rest.headers } }),
  });
  const text = await response.text();
  let body: unknown = text;
  try {
    body = text ? JSON.parse(text) : null;
  } catch {
    // CSV and other text stay as they came.
  }
  return { status: response.status, headers: response.headers, body: body as Record<string, unknown> & unknown[] & string, text };
}
