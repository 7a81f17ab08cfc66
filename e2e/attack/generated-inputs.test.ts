// Generated attacks on every route of the real built dashboard (fast-check), and what must hold after each one:
// no 5xx, a bounded answer, the server alive with bounded memory, nothing at the forbidden capture server, and at
// the allowed one exactly the requests relay callers asked for.
//
// Reproducing a failure: the message names the seed; run
//   STICKYSCOPE_ATTACK_SEED=<seed> npm run test:attack -- e2e/attack/generated-inputs.test.ts
// to generate the same cases in the same order (each property starts from that seed; RUNS below says how many cases
// each one runs). Without the variable the seed is fixed, so every run attacks with the same cases; set it to a new
// number to explore others.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { labScenarioNames } from '@/lib/lab/scenarios';
import { closedLoopbackPort } from '@/lib/test/loopback';
import { toWireBody } from './hostile';
import type { WireResponse } from './http-wire';
import { harmAfter, harmAfterNonRelay, markCaptures, type CaptureMark } from './invariants';
import { attackSeed, casesRun, checkProperty } from './property';
import { encodeRequest, jsonOf, type RawHeader, type RawRequest } from './raw-http';
import { expectedRequest, relayCases, requestMismatch, socketCases, upgradeCases, type RelayPorts, type RelayTemplate } from './relay-cases';
import { hostileSegment, routeRequest, SHAPED_ROUTES, type RouteContext } from './route-inputs';
import { RelayBodies } from './relay-client';
import { fillPattern, listApiRoutes, listPageRoutes, type ApiRoute } from './routes';
import { sameOriginHeaders, sendJson } from './same-origin';
import { useAttackTarget } from './use-target';

const FILE = 'e2e/attack/generated-inputs.test.ts';

/** Cases per property; together at least 1,000 requests to the server per run. */
const RUNS = { apiBodies: 450, relay: 300, upgrade: 100, socket: 100, pathsAndHeaders: 200 } as const;

/** Routes that connect to targets, each with generated calls of its own; `expects`: the request a target must see. */
const RELAY_KINDS = {
  relay: { path: '/api/relay', expects: 'relay' },
  upgrade: { path: '/api/relay/upgrade', expects: 'upgrade' },
  socket: { path: '/api/relay/socket', expects: 'upgrade' },
} as const;
type RelayKind = keyof typeof RELAY_KINDS;
const RELAY_ROUTES = new Set<string>(Object.values(RELAY_KINDS).map((k) => k.path));

const attackTarget = useAttackTarget();
let ports: RelayPorts;
let ctx: RouteContext;
let staticAsset = '';
/** What the product's relay client sends besides the attacked fields (one run for all generated relay calls). */
let templates: Record<RelayKind, RelayTemplate>;

async function attempt(request: Omit<RawRequest, 'host'> & { host?: string | null }): Promise<WireResponse | Error> {
  try {
    return await attackTarget().send(request);
  } catch (error) {
    return error instanceof Error ? error : new Error(String(error));
  }
}

/** Throws (failing the case) when `harm` names a problem. */
function fail(harm: string | null): void {
  if (harm) throw new Error(harm);
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

/** Why one relay call's traffic at the allowed capture server is not exactly what it asked for, or null. */
function relayHarm(kind: RelayKind, id: string, wire: Buffer, answer: WireResponse | Error, mark: CaptureMark): string | null {
  const arrived = attackTarget().allowed.requests().slice(mark.allowedRequests);
  if (arrived.length > 1) return `${arrived.length} requests reached the allowed capture server for one ${kind} call: ${arrived.map((r) => `${r.method} ${r.target}`).join(', ')}`;
  if (answer instanceof Error) return null;
  if (answer.status >= 400 && arrived.length > 0) return `the ${kind} call was refused (${answer.status}) but a request reached the allowed capture server`;
  const got = arrived[0];
  const text = wire.toString('utf8');
  // A body that is not UTF-8 reads differently on each side; only the count and the form of its request are judged.
  if (got && Buffer.from(text, 'utf8').equals(wire)) {
    const expected = expectedRequest(parseJson(text), RELAY_KINDS[kind].expects);
    if (!expected) return `a request reached the allowed capture server for a ${kind} body that is not even shaped right`;
    const mismatch = requestMismatch(got, expected);
    if (mismatch) return `the allowed capture server received a request the caller did not ask for: ${mismatch}`;
  }
  const result = jsonOf(answer) as { ok?: boolean; headers?: Record<string, string> } | null;
  const replica = result?.ok ? result.headers?.['x-replica'] : undefined;
  if (replica !== undefined) {
    if (replica !== `allowed-${mark.allowedRequests + 1}`) return `the ${kind} call got the answer to another request (${replica}; its own would be allowed-${mark.allowedRequests + 1})`;
    if (result?.headers?.['x-attack-echo'] !== id) return `the ${kind} call got an answer echoing ${JSON.stringify(result?.headers?.['x-attack-echo'])}, not its own id`;
  }
  return null;
}

beforeAll(async () => {
  const target = attackTarget();
  ports = { allowed: target.allowed.port, forbidden: target.forbidden.port, closed: await closedLoopbackPort() };
  const reportIds: string[] = [];
  for (let i = 0; i < 4; i++) {
    const spec = { target: `http://allowed.test:${ports.allowed}/`, resolve: [`allowed.test:${ports.allowed}:127.0.0.1`] };
    const created = await sendJson(target, 'POST', '/api/reports/runs', { spec, startedAt: Date.now() });
    expect(created.status, JSON.stringify(created.json)).toBe(201);
    reportIds.push((created.json as { id: string }).id);
  }
  // Headers read at each case: a restart after a crash moves the dashboard to another port, and so its origin.
  ctx = { allowedPort: ports.allowed, reportIds, labServices: labScenarioNames, sameOrigin: () => sameOriginHeaders(attackTarget()) };
  const run = new RelayBodies();
  const url = `http://allowed.test:${ports.allowed}/`;
  templates = { relay: await run.relay({ url }), upgrade: await run.upgrade({ url }), socket: await run.socket({ url }) };
  const home = await target.send({ method: 'GET', path: '/' });
  staticAsset = /\/_next\/static\/[^"'\s]+\.js/.exec(home.body.toString('utf8'))?.[0] ?? '';
  expect(staticAsset, 'the home page names a static script').not.toBe('');
  console.log(`attack seed ${attackSeed()} (set STICKYSCOPE_ATTACK_SEED to change it)`);
});

afterAll(() => {
  const total = [...casesRun.values()].reduce((a, b) => a + b, 0);
  console.log(`generated cases run: ${total} (${[...casesRun].map(([name, n]) => `${name} ${n}`).join(', ')})`);
});

describe('generated attacks on every route', () => {
  it('has a body generator for every API route that takes a body', () => {
    const bodyRoutes = listApiRoutes().filter((r) => ['POST', 'PUT', 'PATCH'].includes(r.method) && !RELAY_ROUTES.has(r.pattern));
    expect(bodyRoutes.map((r) => `${r.method} ${r.pattern}`).filter((key) => !SHAPED_ROUTES.includes(key))).toEqual([]);
    expect(Object.values(RUNS).reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(1000);
  });

  it('answers generated bodies, parameters and content types on every API route without harm', async () => {
    const routes = listApiRoutes().filter((r) => !RELAY_ROUTES.has(r.pattern));
    const cases = fc.constantFrom(...routes).chain((route: ApiRoute) => routeRequest(route, ctx).map((request) => ({ route: `${route.method} ${route.pattern}`, request })));
    const target = attackTarget();
    try {
      await checkProperty('API routes', FILE, RUNS.apiBodies, fc.asyncProperty(cases, async ({ route, request }) => {
        const mark = markCaptures(target);
        fail(await harmAfterNonRelay(target, `${route} as ${request.method} ${request.path.slice(0, 120)}`, await attempt(request), mark));
      }));
    } finally {
      // Label edits change the lab's scenarios; later properties and files expect them as they were.
      if (await target.healthy()) for (const name of labScenarioNames) await sendJson(target, 'POST', `/api/lab/services/${name}/reset`, {});
    }
  });

  const CASES = { relay: relayCases, upgrade: upgradeCases, socket: socketCases } satisfies Record<RelayKind, unknown>;
  const relayProperty = (kind: RelayKind) => async () => {
    const target = attackTarget();
    const { path } = RELAY_KINDS[kind];
    const cases = fc.record({
      call: CASES[kind](ports, templates[kind]),
      contentType: fc.oneof({ weight: 9, arbitrary: fc.constant('application/json') }, { weight: 1, arbitrary: fc.constantFrom('text/plain', 'application/x-www-form-urlencoded', '') }),
      chunked: fc.boolean(),
      pick: fc.nat(),
    });
    await checkProperty(`POST ${path}`, FILE, RUNS[kind], fc.asyncProperty(cases, async ({ call, contentType, chunked, pick }) => {
      const mark = markCaptures(target);
      const wire = toWireBody(call.body, pick);
      const headers: RawHeader[] = [...sameOriginHeaders(target).filter(([n]) => n !== 'Content-Type'), ...(contentType ? [['Content-Type', contentType] as const] : [])];
      const answer = await attempt({ method: 'POST', path, headers, body: wire, chunked });
      fail(await harmAfter(target, `${path} ${wire.toString('utf8').slice(0, 300)}`, answer, mark));
      fail(relayHarm(kind, call.id, wire, answer, mark));
    }));
  };

  it('relays only what each caller asked for, only to allowed targets (POST /api/relay)', relayProperty('relay'));

  it('opens only the upgrades each caller asked for, only to allowed targets (POST /api/relay/upgrade)', relayProperty('upgrade'));

  it('opens only the held sockets each caller asked for, only to allowed targets (POST /api/relay/socket)', relayProperty('socket'));

  it('answers odd paths and hostile Host, Origin and forwarded headers on pages, assets, API and relay without harm', async () => {
    const target = attackTarget();
    const port = target.port;
    const GOOD_HOSTS = [`127.0.0.1:${port}`, `localhost:${port}`, `[::1]:${port}`];
    const FOREIGN_HOSTS = ['evil.example', `evil.example:${port}`, `127.0.0.1.nip.io:${port}`, `localhost.evil.example:${port}`, `169.254.169.254:${port}`, `10.0.0.5:${port}`];
    const ODD_HOSTS = ['', `LOCALHOST:${port}`, '127.0.0.1', `localhost.:${port}`, `127.0.0.1:${port}\u00ff`, 'a'.repeat(5000), null];
    const pages = listPageRoutes();
    const relayBodyText = JSON.stringify(
      await new RelayBodies({ resolve: [{ host: 'allowed.test', port: ports.allowed, address: '127.0.0.1' }] }).relay({ url: `http://allowed.test:${ports.allowed}/`, headers: ['x-attack-id', 'paths-and-headers'] }),
    );
    type Destination = { method: string; path: string; body?: string; writes: boolean; relay: boolean };
    const destination: fc.Arbitrary<Destination> = fc.oneof(
      fc.tuple(fc.constantFrom(...pages), fc.array(hostileSegment, { minLength: 3, maxLength: 3 })).map(([page, values]) => ({
        method: 'GET',
        path: fillPattern(page, (p) => values[['id', 'serviceId', 'shareId'].indexOf(p) % 3] ?? '%ff'),
        writes: false,
        relay: false,
      })),
      fc.constantFrom<Destination>(
        { method: 'GET', path: '/', writes: false, relay: false },
        { method: 'GET', path: staticAsset, writes: false, relay: false },
        { method: 'GET', path: '/_next/static/%ff', writes: false, relay: false },
        { method: 'GET', path: '/_next/%ff/..%2f..%2fpackage.json', writes: false, relay: false },
        { method: 'GET', path: '/%ff', writes: false, relay: false },
        { method: 'GET', path: '//evil.example/', writes: false, relay: false },
        { method: 'GET', path: `/${'a'.repeat(20_000)}`, writes: false, relay: false },
        { method: 'GET', path: '/r/\u00ff%ff', writes: false, relay: false },
        { method: 'GET', path: '/probes?protocol=shiny&shiny-route=%ff&shiny-output=%3Cscript%3E&shiny-output=a%0Ab', writes: false, relay: false },
        { method: 'GET', path: `/probes?protocol=auto&shiny-route=upload&shiny-output=${'x'.repeat(5000)}`, writes: false, relay: false },
        { method: 'GET', path: '/api/topology', writes: false, relay: false },
        { method: 'GET', path: '/api/reports?host=%ff', writes: false, relay: false },
        { method: 'GET', path: '/api/%ff', writes: false, relay: false },
        { method: 'POST', path: '/api/lab/services/sticky-ok/reset', body: '', writes: true, relay: false },
        { method: 'POST', path: '/api/lab/services/%ff/reset', body: '', writes: true, relay: false },
        { method: 'POST', path: '/api/reports/runs', body: JSON.stringify({ spec: { target: `http://allowed.test:${ports.allowed}/` }, startedAt: 1 }), writes: true, relay: false },
        { method: 'DELETE', path: '/api/reports/no-such-report', writes: true, relay: false },
        { method: 'POST', path: '/api/relay', body: relayBodyText, writes: true, relay: true },
        { method: 'POST', path: '/api/relay/upgrade', body: '{}', writes: true, relay: false },
        { method: 'POST', path: '/api/relay/socket', body: '{}', writes: true, relay: false },
        { method: 'POST', path: '/api/relay/socket/receive', body: '{}', writes: true, relay: false },
      ),
    );
    const cases = fc.record({
      destination,
      host: fc.oneof(
        { weight: 4, arbitrary: fc.constantFrom(...GOOD_HOSTS).map((h) => ({ value: h, kind: 'good' as const })) },
        { weight: 3, arbitrary: fc.constantFrom(...FOREIGN_HOSTS).map((h) => ({ value: h, kind: 'foreign' as const })) },
        { weight: 1, arbitrary: fc.constantFrom(...ODD_HOSTS).map((h) => ({ value: h, kind: 'odd' as const })) },
      ),
      origin: fc.constantFrom(null, 'same', 'https://evil.example', 'null', `http://127.0.0.1:${port}.evil.example`),
      fetchSite: fc.constantFrom(null, 'same-origin', 'cross-site', 'same-site', 'none'),
      contentType: fc.constantFrom('application/json', 'application/x-www-form-urlencoded', 'text/plain', null),
      forwarded: fc.subarray<RawHeader>([
        ['X-Forwarded-For', '203.0.113.9, 127.0.0.1'],
        ['X-Forwarded-Host', 'evil.example'],
        ['X-Forwarded-Proto', 'javascript'],
        ['X-Real-IP', '203.0.113.9'],
        ['Forwarded', 'for=203.0.113.9;host=evil.example;proto=javascript'],
        ['X-Bad-Bytes', Buffer.from([0xff, 0xfe, 0xc0, 0xaf])],
        ['X-Long', 'a'.repeat(20_000)],
      ]),
    });
    await checkProperty('paths and headers', FILE, RUNS.pathsAndHeaders, fc.asyncProperty(cases, async ({ destination: d, host, origin, fetchSite, contentType, forwarded }) => {
      const mark = markCaptures(target);
      const headers: RawHeader[] = [...forwarded];
      const originValue = origin === 'same' ? target.base : origin;
      if (originValue !== null) headers.push(['Origin', originValue]);
      if (fetchSite !== null) headers.push(['Sec-Fetch-Site', fetchSite]);
      if (contentType !== null && d.body !== undefined) headers.push(['Content-Type', contentType]);
      const request = { method: d.method, path: d.path, host: host.value, headers, ...(d.body === undefined ? {} : { body: d.body }) };
      const answer = await attempt(request);
      const what = `${d.method} ${d.path.slice(0, 100)} with Host ${JSON.stringify(host.value?.slice(0, 60) ?? null)}, Origin ${originValue}, Sec-Fetch-Site ${fetchSite}`;
      fail(d.relay ? await harmAfter(target, what, answer, mark) : await harmAfterNonRelay(target, what, answer, mark));
      // A head over Node's 16 KiB limit (431) or a request line with raw non-ASCII bytes (400) is refused by the HTTP
      // parser before any route sees the Host.
      if (answer instanceof Error || encodeRequest(request).length > 16 * 1024 || !/^[\x21-\x7e]+$/.test(d.path)) return;
      if (host.kind === 'foreign' && answer.status !== 421) throw new Error(`answered ${answer.status}, not 421 Misdirected Request (after ${what})`);
      const crossSite = fetchSite === 'cross-site' || (originValue !== null && originValue !== target.base && originValue !== 'null');
      if (host.kind === 'good' && d.writes && crossSite && answer.status < 400) throw new Error(`a cross-site write was answered ${answer.status} (after ${what})`);
    }));
  });
});
