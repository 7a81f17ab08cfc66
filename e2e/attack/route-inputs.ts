// Generated requests for each API route: a body shaped like the route's own input (a probe spec, a record batch, an
// exported report, a label edit, ...), close enough to valid to get past the first check, with hostile values mixed
// in; hostile path parameters and query strings; and the wrong content types and invalid UTF-8 on the wire.
import fc from 'fast-check';
import { sequence } from '@/lib/probe/test/records';
import { hostileJson, hostileText, toWireBody, withHostileChanges } from './hostile';
import type { RawHeader, RawRequest } from './raw-http';
import { fillPattern, type ApiRoute } from './routes';

export type RouteContext = {
  allowedPort: number;
  /** Ids of reports that exist (running runs created for the attack). */
  reportIds: readonly string[];
  labServices: readonly string[];
  /** Headers of a request from the dashboard's own pages: same origin, JSON. */
  sameOrigin: () => readonly RawHeader[];
};

export type GeneratedRequest = Omit<RawRequest, 'host'>;

/** Path parameters an attacker fills in: traversal, bad escapes, NUL, very long, Unicode. */
export const hostileSegment: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom('%ff', '%00', '..', '%2e%2e', '..%2f..%2fetc%2fpasswd', '%E2%80%AE', '__proto__', 'null', '%', '%zz', '%c0%af', 'a'.repeat(5000), '%0d%0aX:%20y'),
  hostileText.map((t) => encodeURIComponent(wellFormed(t.slice(0, 2000))).replace(/%2F/g, '/')),
);

/** `text` with lone surrogates replaced, so it can be percent-encoded (the surrogates get their own cases). */
function wellFormed(text: string): string {
  return text.replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '\ufffd');
}

const hostileUrls = (allowedPort: number) =>
  fc.oneof(
    fc.constant(`http://allowed.test:${allowedPort}/`),
    fc.constantFrom('http://169.254.169.254/latest/meta-data/', 'http://[fd00:ec2::254]/', 'http://100.64.1.2:8080/', 'http://[::1]:6379/', 'javascript:alert(1)', 'http://user:pass@x.example/'),
    hostileText,
  );

const headerRecord = fc.dictionary(
  fc.oneof(fc.constantFrom('X-Api-Key', 'X-Auth-Token', 'Authorization', 'Host', 'Cookie', 'X\r\nY'), hostileText),
  fc.oneof(fc.stringMatching(/^[ -~]{0,30}$/), hostileText),
  { maxKeys: 3 },
);

const spec = (allowedPort: number) =>
  fc.record(
    {
      target: hostileUrls(allowedPort),
      requests: fc.integer({ min: 1, max: 200 }),
      concurrency: fc.integer({ min: 1, max: 8 }),
      headers: headerRecord,
      resolve: fc.array(fc.oneof(fc.constant(`allowed.test:${allowedPort}:127.0.0.1`), fc.constant(`allowed.test.:${allowedPort}:169.254.169.254`), hostileText), { maxLength: 3 }),
      identity: fc.constantFrom('auto', { header: 'x-replica' }, { cookie: 'sid' }, { bodyRegex: '(a+)+$' }, { jsonField: 'a.b' }),
      protocol: fc.constantFrom('auto', 'http', 'engineio', 'session-route', 'shiny'),
      shiny: fc.record({ route: fc.oneof(fc.constantFrom('auto', 'dataobj', 'download', 'upload'), hostileText), output: fc.oneof(fc.constant(null), fc.constant('table'), hostileText) }),
    },
    { requiredKeys: ['target'] },
  );

const records = fc.integer({ min: 1, max: 40 }).map((n) => sequence(['replica-a'], n));

const outcome = {
  ended: 'completed',
  verdict: {
    status: 'pass',
    sticky: true,
    total: 1,
    successful: 1,
    identified: 1,
    firstReplica: 'replica-a',
    firstBreakAt: null,
    firstBreakMs: null,
    firstBreakReplica: null,
    switches: 0,
    replicas: { 'replica-a': 1 },
    errors: { total: 0, byStatus: {}, byCode: {} },
  },
  expectation: { expect: 'sticky', holds: true, message: 'one replica answered every request' },
  diagnosis: [],
  cookies: { balancerCookie: null, cookies: [], events: [], droppedEvents: 0 },
};

const experiment = {
  id: 'e1',
  action: 'kill-task',
  service: 'sticky-ok',
  taskId: 'abc123',
  taskName: 'sticky-ok.1',
  replica: null,
  afterIndex: 1,
  atMs: 1,
  ok: true,
  message: 'done',
};

const LABEL_KEYS = [
  'traefik.http.services.sticky-ok.loadbalancer.sticky.cookie.name',
  'traefik.http.services.sticky-ok.loadbalancer.sticky.cookie.samesite',
  'traefik.http.routers.sticky-ok.rule',
  'traefik.enable',
  'traefik.http.services.sticky-ok.loadbalancer.server.port',
];

/** A run id as the relay client draws them, or not. */
const relayRun = fc.oneof(fc.stringMatching(/^[0-9a-f]{32}$/), fc.constantFrom('', 'x'.repeat(65), '../../run'), hostileText);
/** A held socket's id as the relay hands them out (never one held by this run), or not. */
const socketId = fc.oneof(fc.stringMatching(/^[A-Za-z0-9_-]{22}$/), fc.constantFrom('', 'A'.repeat(23), '%00%00', '__proto__'), hostileText);

/** A valid-looking body for `route`, or undefined for a route that takes none. */
function bodyShape(route: ApiRoute, ctx: RouteContext): fc.Arbitrary<unknown> | undefined {
  const key = `${route.method} ${route.pattern}`;
  switch (key) {
    case 'POST /api/reports':
      return fc.record({
        schemaVersion: fc.constantFrom(1, 2),
        id: fc.oneof(fc.uuid(), hostileText),
        status: fc.constantFrom('complete', 'stopped', 'incomplete', 'running'),
        startedAt: fc.constant(1_760_000_000_000),
        endedAt: fc.constant(1_760_000_060_000),
        dashboardVersion: fc.constant('0.1.0'),
        spec: spec(ctx.allowedPort),
        records,
        outcome: fc.constantFrom(null, outcome),
        topology: fc.constant(null),
        experiments: fc.constant([]),
        redaction: fc.constant({ onShare: true, stripQuery: false, applied: null }),
      });
    case 'POST /api/reports/runs':
      return fc.record({
        spec: spec(ctx.allowedPort),
        serviceId: fc.oneof(fc.constant(null), fc.constant('sticky-ok'), hostileText),
        startedAt: fc.constant(1_760_000_000_000),
        redaction: fc.record({ onShare: fc.boolean(), stripQuery: fc.boolean() }),
      });
    case 'POST /api/reports/[id]/records':
      return records.map((r) => ({ records: r }));
    case 'POST /api/reports/[id]/finish':
      return fc.record({ status: fc.constantFrom('complete', 'stopped'), endedAt: fc.constant(1_760_000_060_000), outcome: fc.constant(outcome) });
    case 'POST /api/reports/[id]/experiments':
      return fc.constant({ experiments: [experiment] });
    case 'POST /api/reports/[id]/shares':
      return fc.record({ expiresInHours: fc.oneof(fc.constant(null), fc.integer({ min: 1, max: 9000 })) });
    case 'PATCH /api/lab/services/[name]/labels':
      return fc.record({
        set: fc.dictionary(fc.oneof(fc.constantFrom(...LABEL_KEYS), hostileText), fc.oneof(fc.constantFrom('true', 'lb', 'Host(`sticky-ok.lab.test`)'), hostileText), { maxKeys: 3 }),
        remove: fc.array(fc.oneof(fc.constantFrom(...LABEL_KEYS), hostileText), { maxLength: 2 }),
      });
    case 'POST /api/lab/services/[name]/reset':
      return fc.constant({});
    case 'POST /api/relay/socket/send':
      return fc.record({ run: relayRun, socket: socketId, text: fc.oneof(fc.constantFrom('{"method":"init","data":{}}', ''), hostileText) });
    case 'POST /api/relay/socket/receive':
      return fc.record(
        {
          run: relayRun,
          socket: socketId,
          until: fc.oneof(fc.constant('"values"'), hostileText),
          maxFrames: fc.oneof(fc.constantFrom(1, 1024, 0, 1025, -1, 1e9), hostileJson),
          maxChars: fc.oneof(fc.constantFrom(0, 4 * 1024 * 1024, 4 * 1024 * 1024 + 1, 1e15), hostileJson),
          timeoutMs: fc.oneof(fc.constantFrom(0, 50, 120_001, -1, 1.5), hostileJson),
        },
        { requiredKeys: ['run', 'socket'] },
      );
    case 'POST /api/relay/socket/close':
      return fc.record({ run: relayRun, socket: socketId });
    case 'POST /api/experiments':
      return fc.record({
        step: fc.constantFrom('preview', 'confirm'),
        action: fc.constantFrom('kill-task', 'scale-down', 'restart', 'drain'),
        service: fc.constantFrom('sticky-ok', 'app'),
        taskId: fc.constantFrom('abc123', 'x'.repeat(64)),
        replica: fc.constant(null),
      });
    default:
      return undefined;
  }
}

/** Query strings for the routes that read one. */
function queryShape(route: ApiRoute): fc.Arbitrary<string> {
  const value = fc.oneof(fc.constantFrom('pass', 'fail', '2026-01-31', '2026-02-30', '1', '0', '-1', '1001', '1e3', '%ff', 'a'.repeat(3000)), hostileText.map((t) => encodeURIComponent(wellFormed(t))));
  if (route.method === 'GET' && route.pattern === '/api/reports') {
    return fc
      .dictionary(fc.constantFrom('host', 'verdict', 'from', 'to', 'limit', 'download', '__proto__', 'host[]'), value, { maxKeys: 4 })
      .map((q) => (Object.keys(q).length ? `?${Object.entries(q).map(([k, v]) => `${k}=${v}`).join('&')}` : ''));
  }
  if (route.method === 'GET') return fc.oneof(fc.constant(''), fc.constant('?download=1'), value.map((v) => `?${v}=${v}`));
  return fc.constant('');
}

/** The routes `bodyShape` knows, so a new route without a generator is noticed. */
export const SHAPED_ROUTES = [
  'POST /api/reports',
  'POST /api/reports/runs',
  'POST /api/reports/[id]/records',
  'POST /api/reports/[id]/finish',
  'POST /api/reports/[id]/experiments',
  'POST /api/reports/[id]/shares',
  'PATCH /api/lab/services/[name]/labels',
  'POST /api/lab/services/[name]/reset',
  'POST /api/experiments',
  'POST /api/relay/socket/send',
  'POST /api/relay/socket/receive',
  'POST /api/relay/socket/close',
];

const CONTENT_TYPES = ['application/json; charset=utf-8', 'text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'APPLICATION/JSON', 'application/jsonp', 'application/json\u00ff'];

/** One generated request to `route` (the relay routes have their own generators, see relay-cases.ts). */
export function routeRequest(route: ApiRoute, ctx: RouteContext): fc.Arbitrary<GeneratedRequest> {
  // A DELETE mostly misses, so the reports the other routes write to stay there.
  const real = route.method === 'DELETE' ? 1 : 3;
  const param = (name: string) =>
    fc.oneof(
      { weight: real, arbitrary: name === 'name' ? fc.constantFrom(...ctx.labServices) : fc.constantFrom(...ctx.reportIds) },
      { weight: route.method === 'DELETE' ? 6 : 1, arbitrary: hostileSegment },
    );
  const params = [...route.pattern.matchAll(/\[([^\]]+)\]/g)].map((m) => m[1]!);
  const path = fc.tuple(...params.map((p) => param(p)), queryShape(route)).map((parts) => {
    const query = parts.pop() as string;
    const values = new Map(params.map((p, i) => [p, parts[i] as string]));
    return `${fillPattern(route.pattern, (p) => values.get(p)!)}${query}`;
  });
  const shape = bodyShape(route, ctx);
  const body = shape ? withHostileChanges(shape) : fc.oneof(fc.constant(undefined), withHostileChanges(fc.constant({})));
  const wire = fc.record({
    contentType: fc.oneof({ weight: 8, arbitrary: fc.constant(null) }, { weight: 2, arbitrary: fc.constantFrom(...CONTENT_TYPES) }, { weight: 1, arbitrary: fc.constant('none') }),
    chunked: fc.boolean(),
    pick: fc.nat(),
  });
  return fc.tuple(path, body, wire).map(([p, b, w]) => {
    const headers: RawHeader[] = ctx.sameOrigin().filter(([name]) => w.contentType === null || name.toLowerCase() !== 'content-type');
    if (w.contentType !== null && w.contentType !== 'none') headers.push(['Content-Type', w.contentType]);
    const request: GeneratedRequest = { method: route.method, path: p, headers };
    if (b !== undefined && route.method !== 'GET' && route.method !== 'HEAD') {
      request.body = toWireBody(b, w.pick);
      request.chunked = w.chunked;
    }
    return request;
  });
}
