// Generated relay requests (`POST /api/relay`, `/api/relay/upgrade` and `/api/relay/socket`) and what the allowed
// capture server may receive for each: exactly the request the caller described, or nothing.
//
// Every generated target stays on loopback even against a relay whose allowlist is broken: a hostname always comes
// with an address override to 127.0.0.1 for its exact spelling (last in the list, so it is the one a transport
// picks), and an override to a non-loopback address is only ever written for a host that is not the URL's own.
import net from 'node:net';
import fc from 'fast-check';
import { hostileJson, hostileText, withHostileChanges } from './hostile';
import type { WireRequest } from './http-wire';

export type RelayPorts = { allowed: number; forbidden: number; closed: number };

/** Spellings of the allowed host (allowed on any port, like a Traefik router host). */
const ALLOWED_SPELLINGS = ['allowed.test', 'ALLOWED.test', 'allowed.test.', 'Allowed.Test.', 'allowed.test\u3002', '\uff41llowed.test', 'allowed%2etest', 'allowed.test%2e'];
/** A demo lab router host: also allowed on any port. */
const LAB_ROUTER_SPELLINGS = ['sticky-ok.lab.test', 'sticky-ok.lab.test.', 'STICKY-OK.lab.test.'];
const LOOPBACK_LITERALS = ['127.0.0.1', '127.1', '0x7f.1', '0x7f000001', '2130706433', '0177.0.0.1', '127.0.0.1.', '[::ffff:127.0.0.1]', '[::1]', '[0:0:0:0:0:ffff:7f00:1]', '127.0.0.2', '0.0.0.0', '0'];
const NON_PUBLIC_LITERALS = ['169.254.169.254', '[fd00:ec2::254]', '100.64.0.1', '10.0.0.5', '[::ffff:169.254.169.254]', '0xa9fea9fe', '[fe80::1]', '192.168.0.1', '[::]'];
const FOREIGN_NAMES = ['evil.example', 'allowed.test.evil.example', 'allowed.testx', 'xn--allowd-fva.test', 'allow\u00e9d.test', 'allowed.test..', 'localhost', 'LOCALHOST.', `${'a'.repeat(63)}.example`];

const LOOPBACK_ADDRESSES = ['127.0.0.1', '::ffff:127.0.0.1', '[::ffff:127.0.0.1]', '127.1', '0x7f.1', '::1', '127.0.0.1\r\n', '127.0.0.1\u010d\u010a'];
const OTHER_ADDRESSES = ['169.254.169.254', 'fd00:ec2::254', '[fd00:ec2::254]', '100.64.0.1', '::ffff:169.254.169.254', '::ffff:a9fe:a9fe', 'fe80::1%eth0', '10.0.0.5', '0xa9fea9fe'];

const PATHS = ['/', '/x?y=1', '/%ff', '/%00', '/..', '/a/../../etc/passwd', '/\u010d\u010aInjected: yes', '/?q=\r\nInjected: yes', '/#frag', '/%0d%0aInjected:%20yes', '/\u00ff\u0100'];

const HEADER_NAMES = [
  'X-Api-Key', 'x-forwarded-for', 'X-Forwarded-Host', 'Accept', 'User-Agent', 'Authorization', 'Host', 'host', 'Transfer-Encoding', 'Content-Length',
  'Connection', 'Cookie', 'Upgrade', 'TE', 'Expect', 'X Bad', 'X:Bad', 'X\r\nY', 'X\u010d\u010aY', '', 'Sec-WebSocket-Key', 'Content-Type', 'Range', 'x-Replica',
];

export const METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'] as const;

/** The URL hostname a transport looks overrides up by, or null when the URL does not parse. */
function urlHostname(url: string): string | null {
  try {
    return new URL(url).hostname;
  } catch {
    return null;
  }
}

function isIpHost(hostname: string): boolean {
  return net.isIP(hostname.replace(/^\[|\]$/g, '')) !== 0;
}

type Override = { host: string; port: number; address: string };

/** Where a call goes: every spelling of every kind of host, on the allowed, forbidden or a closed port. */
const destination = (ports: RelayPorts) =>
  fc.record({
    host: fc.oneof(
      { weight: 4, arbitrary: fc.constantFrom(...ALLOWED_SPELLINGS) },
      { weight: 1, arbitrary: fc.constantFrom(...LAB_ROUTER_SPELLINGS) },
      { weight: 2, arbitrary: fc.constantFrom(...LOOPBACK_LITERALS) },
      { weight: 1, arbitrary: fc.constantFrom(...NON_PUBLIC_LITERALS) },
      { weight: 1, arbitrary: fc.constantFrom(...FOREIGN_NAMES) },
    ),
    port: fc.constantFrom(ports.allowed, ports.allowed, ports.forbidden, ports.closed),
    safetyAddress: fc.constantFrom('127.0.0.1', '127.0.0.1', '::ffff:127.0.0.1'),
  });

const hostilePath = fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...PATHS) }, { weight: 1, arbitrary: hostileText.map((t) => `/${t.slice(0, 9000)}`) });

/** Overrides besides the one that keeps the call on loopback: other hosts, ports and address spellings. */
const extraOverrides = (ports: RelayPorts) =>
  fc.array(
    fc.record({
      host: fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...ALLOWED_SPELLINGS, ...FOREIGN_NAMES, 'other.test', '127.0.0.1') }, { weight: 1, arbitrary: hostileText }),
      port: fc.oneof({ weight: 4, arbitrary: fc.constantFrom(ports.allowed, ports.forbidden, ports.closed) }, { weight: 1, arbitrary: hostileJson }),
      loopback: fc.boolean(),
      address: fc.nat(),
    }),
    { minLength: 1, maxLength: 3 },
  );

/** The URL and override list of a call, keeping the loopback promise (see the top of this file). */
function targetOf(d: { host: string; port: number; safetyAddress: string }, scheme: string, path: string, extra: readonly { host: string; port: unknown; loopback: boolean; address: number }[]) {
  const url = `${scheme}://${d.host}:${d.port}${path}`;
  const hostname = urlHostname(url);
  const resolve: Record<string, unknown>[] = [];
  for (const e of extra) {
    if (e.loopback) {
      resolve.push({ host: e.host, port: e.port, address: LOOPBACK_ADDRESSES[e.address % LOOPBACK_ADDRESSES.length]! });
    } else if (hostname === null || e.host.toLowerCase() !== hostname) {
      resolve.push({ host: e.host, port: e.port, address: OTHER_ADDRESSES[e.address % OTHER_ADDRESSES.length]! });
    }
  }
  if (hostname !== null && !isIpHost(hostname)) resolve.push({ host: hostname, port: d.port, address: d.safetyAddress } satisfies Override);
  return { url, resolve };
}

const cleanHeaders = fc
  .array(fc.tuple(fc.stringMatching(/^[A-Za-z][A-Za-z0-9-]{0,20}$/), fc.stringMatching(/^[ -~]{0,40}$/)), { maxLength: 3 })
  .map((pairs) => pairs.flat());

/** Mostly names a relay accepts, so the hostile values get as far as the wire. */
const hostileHeaders = fc
  .array(
    fc.tuple(
      fc.oneof(
        { weight: 6, arbitrary: fc.stringMatching(/^[A-Za-z][A-Za-z0-9-]{0,20}$/) },
        { weight: 2, arbitrary: fc.constantFrom(...HEADER_NAMES) },
        { weight: 1, arbitrary: hostileText },
      ),
      fc.oneof({ weight: 1, arbitrary: fc.stringMatching(/^[ -~]{0,40}$/) }, { weight: 3, arbitrary: hostileText }),
    ),
    { minLength: 1, maxLength: 3 },
  )
  .map((pairs) => pairs.flat());

/**
 * What one case attacks besides its destination: nothing else (a valid call, so the allowlist and the wire are
 * what is tested), the URL's scheme and path, the headers, the cookie, the body, extra overrides, one scalar field,
 * or the structure of the whole body.
 */
const ASPECTS = ['none', 'none', 'url', 'headers', 'headers', 'cookie', 'body', 'overrides', 'field', 'structure'] as const;
type Aspect = (typeof ASPECTS)[number];

type Call = {
  id: string;
  url: string;
  resolve: Record<string, unknown>[];
  method: unknown;
  headers: unknown[];
  cookie: unknown;
  body: unknown;
  field: [string, unknown] | null;
  structure: boolean;
};

/** A body the product's relay client wrote (see relay-client.ts): its fields beyond the ones attacked here, e.g. the run id. */
export type RelayTemplate = Readonly<Record<string, unknown>>;

const call = (ports: RelayPorts, template: RelayTemplate): fc.Arbitrary<Call> =>
  fc.record({ aspect: fc.constantFrom<Aspect>(...ASPECTS), id: fc.uuid(), d: destination(ports), method: fc.constantFrom(...METHODS) }).chain(({ aspect, id, d, method }) =>
    fc
      .record({
        scheme: aspect === 'url' ? fc.constantFrom('http', 'https', 'HTTP', 'ftp', 'javascript', 'ws') : fc.constant('http'),
        path: aspect === 'url' ? hostilePath : fc.constantFrom('/', '/x?y=1'),
        extra: aspect === 'overrides' ? extraOverrides(ports) : fc.constant([]),
        headers: aspect === 'headers' ? hostileHeaders : cleanHeaders,
        cookie: aspect === 'cookie' ? fc.oneof(hostileText.map((t) => `sid=${t}`), hostileText) : fc.constantFrom(null, 'a=b'),
        body: aspect === 'body' ? hostileText : fc.constantFrom(null, 'hello'),
        field:
          aspect === 'field'
            ? fc.tuple(
                fc.constantFrom(...Object.keys(template).filter((key) => key !== 'url' && key !== 'resolve'), 'unknownKey'),
                fc.oneof(hostileJson, fc.constantFrom('CONNECT', 'TRACE', 'get', 0, 33, 1e6, -1, 65537)),
              )
            : fc.constant(null),
      })
      .map((f) => ({
        id,
        ...targetOf(d, f.scheme, f.path, f.extra),
        method,
        headers: ['x-attack-id', id, ...f.headers],
        cookie: f.cookie,
        body: f.body,
        field: f.field,
        structure: aspect === 'structure',
      })),
  );

/** A `POST /api/relay` body: `template` with a valid request to a generated destination, or one hostile aspect. */
export function relayCases(ports: RelayPorts, template: RelayTemplate): fc.Arbitrary<{ id: string; body: unknown }> {
  return call(ports, template).chain((c) => {
    const base = {
      ...template,
      url: c.url,
      method: c.method,
      headers: c.headers,
      cookie: c.cookie,
      body: c.body,
      resolve: c.resolve,
      timeoutMs: 2000,
      insecureTls: false,
      connections: 1,
      maxBodyBytes: 256,
      exposeHeaders: ['x-attack-echo'],
    };
    return finish(base, c).map((body) => ({ id: c.id, body }));
  });
}

/** A WebSocket open's body, the same way: `frameOf` turns the call's body into the first frame. */
function socketCallCases(ports: RelayPorts, template: RelayTemplate, frameOf: (body: unknown) => unknown): fc.Arbitrary<{ id: string; body: unknown }> {
  return call(ports, template).chain((c) => {
    const base = {
      ...template,
      url: c.url,
      headers: c.headers,
      cookie: c.cookie,
      frame: frameOf(c.body),
      resolve: c.resolve,
      timeoutMs: 2000,
      insecureTls: false,
      exposeHeaders: ['x-attack-echo'],
    };
    return finish(base, c).map((body) => ({ id: c.id, body }));
  });
}

/** A `POST /api/relay/upgrade` body: one frame, always. */
export function upgradeCases(ports: RelayPorts, template: RelayTemplate): fc.Arbitrary<{ id: string; body: unknown }> {
  return socketCallCases(ports, template, (body) => body ?? '2probe');
}

/** A `POST /api/relay/socket` body (a held socket's open): its first frame may be absent. */
export function socketCases(ports: RelayPorts, template: RelayTemplate): fc.Arbitrary<{ id: string; body: unknown }> {
  return socketCallCases(ports, template, (body) => body);
}

/**
 * The call's hostile field or structure. Hostile changes keep the loopback promise: `url` and `resolve` are never
 * replaced by a hostile value (the override list is what keeps traffic local); everything else may be.
 */
function finish(base: { url: string; resolve: unknown[] } & Record<string, unknown>, c: Call): fc.Arbitrary<unknown> {
  const { url, resolve, ...rest } = base;
  if (c.field) {
    const [key, value] = c.field;
    return fc.constant({ ...base, [key === 'unknownKey' ? 'proxy' : key]: value });
  }
  if (!c.structure) return fc.constant(base);
  return withHostileChanges(fc.constant(rest)).map((changed) =>
    changed !== null && typeof changed === 'object' && !Array.isArray(changed) ? { url, resolve, ...changed } : changed,
  );
}

/** What the allowed capture server must have received for one relay call, when the call was valid enough to send. */
export type ExpectedRequest = {
  method: string;
  target: string;
  /** Caller headers as name/value, in order. */
  headers: [string, string][];
  cookie: string | null;
  body: Buffer;
  /** Headers the transport adds itself (lower-case); each may appear once. */
  added: ReadonlySet<string>;
};

const RELAY_ADDED = new Set(['host', 'connection', 'content-length']);
const UPGRADE_ADDED = new Set(['host', 'connection', 'upgrade', 'sec-websocket-key', 'sec-websocket-version']);

/** The request a relay call asked for, or null when its body does not even have the right shape. */
export function expectedRequest(body: unknown, kind: 'relay' | 'upgrade'): ExpectedRequest | null {
  if (body === null || typeof body !== 'object') return null;
  const b = body as Record<string, unknown>;
  if (typeof b.url !== 'string' || !Array.isArray(b.headers) || !b.headers.every((h) => typeof h === 'string')) return null;
  let url: URL;
  try {
    url = new URL(b.url);
  } catch {
    return null;
  }
  const flat = b.headers as string[];
  let headers: [string, string][] = [];
  for (let i = 0; i + 1 < flat.length; i += 2) headers.push([flat[i]!, flat[i + 1]!]);
  if (kind === 'upgrade') {
    // The WebSocket client takes headers as an object: a name given twice is sent once, with its last value.
    headers = Object.entries(Object.fromEntries(headers));
  }
  const cookie = typeof b.cookie === 'string' ? b.cookie : null;
  const method = kind === 'upgrade' ? 'GET' : String(b.method);
  const bodyBytes = kind === 'relay' && typeof b.body === 'string' ? Buffer.from(b.body, 'utf8') : Buffer.alloc(0);
  return { method, target: `${url.pathname}${url.search}`, headers, cookie, body: bodyBytes, added: kind === 'relay' ? RELAY_ADDED : UPGRADE_ADDED };
}

const ows = (value: string) => value.replace(/^[ \t]+|[ \t]+$/g, '');

/** Why `got` is not the request `expected` describes (an extra header line, a changed value, ...), or null. */
export function requestMismatch(got: WireRequest, expected: ExpectedRequest): string | null {
  if (got.method !== expected.method) return `method ${JSON.stringify(got.method)} where ${JSON.stringify(expected.method)} was asked for`;
  if (got.target !== expected.target) return `request target ${JSON.stringify(got.target)} where ${JSON.stringify(expected.target)} was asked for`;
  const wanted = new Map<string, string[]>();
  for (const [name, value] of expected.headers) wanted.set(name.toLowerCase(), [...(wanted.get(name.toLowerCase()) ?? []), ows(value)]);
  if (expected.cookie !== null) wanted.set('cookie', [...(wanted.get('cookie') ?? []), ows(expected.cookie)]);
  const seen = new Map<string, string[]>();
  for (const h of got.headers) seen.set(h.name, [...(seen.get(h.name) ?? []), h.value]);
  for (const [name, values] of seen) {
    const asked = wanted.get(name) ?? [];
    if (expected.added.has(name)) {
      if (values.length > asked.length + 1) return `header ${name} arrived ${values.length} times`;
      continue;
    }
    if (asked.length === 0) return `header line ${JSON.stringify(`${name}: ${values[0]}`)} was never asked for`;
    const left = [...asked];
    for (const value of values) {
      const i = left.indexOf(value);
      if (i === -1) return `header ${name} arrived as ${JSON.stringify(value)}, asked for ${JSON.stringify(asked)}`;
      left.splice(i, 1);
    }
    if (left.length > 0) return `header ${name} ${JSON.stringify(left)} did not arrive`;
  }
  for (const [name, asked] of wanted) if (!seen.has(name) && !expected.added.has(name)) return `header ${name} ${JSON.stringify(asked)} did not arrive`;
  if (!got.body.equals(expected.body)) return `body ${JSON.stringify(got.body.toString('latin1').slice(0, 200))} differs from the one asked for`;
  return null;
}
