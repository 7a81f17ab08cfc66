// What a probe run is asked to do. Strict: unknown keys are mistakes in our own input, not data to ignore.
//
// Headers: hop-by-hop headers, `Host`, `Content-Length` and `Cookie` are refused. `Host` must stay the URL's
// hostname so cookie rules, TLS name and virtual host agree; use `resolve` to reach another address instead.
// `Cookie` belongs to the jar (mode `browser`) or is deliberately absent (mode `none`).
import { z } from 'zod';
import { InputError } from '@/lib/errors';
import { atMostKeys, issueSummary, zodIssues, type IssueList } from '@/lib/validation';
import { hostKey } from '@/lib/net/host-key';
import { bodySchema, headerNameSchema, headerValueSchema, HTTP_TOKEN } from '@/lib/net/http-bytes';
import { MAX_RESOLVE_OVERRIDES, resolveOverrideSchema } from './resolve';
import { probeProtocolChoices, shinyRouteKinds, shinyTransportChoices } from './types';

export const REFUSED_HEADERS: Record<string, string> = {
  host: 'the Host header always follows the target URL; to reach another address use `resolve` (host:port:address)',
  cookie: 'cookies come from the jar (cookies: browser) or are left out on purpose (cookies: none)',
  'content-length': 'the length is computed from the body',
  connection: 'hop-by-hop headers are managed by the connection',
  'keep-alive': 'hop-by-hop headers are managed by the connection',
  'proxy-connection': 'hop-by-hop headers are managed by the connection',
  'transfer-encoding': 'hop-by-hop headers are managed by the connection',
  te: 'hop-by-hop headers are managed by the connection',
  trailer: 'hop-by-hop headers are managed by the connection',
  upgrade: 'hop-by-hop headers are managed by the connection',
  'proxy-authorization': 'hop-by-hop headers are managed by the connection',
  'proxy-authenticate': 'hop-by-hop headers are managed by the connection',
};

export const PROBE_LIMITS = {
  maxRequests: 100_000,
  maxConcurrency: 256,
  maxIntervalMs: 60_000,
  minTimeoutMs: 50,
  maxTimeoutMs: 120_000,
  maxBodyBytes: 64 * 1024,
  /** A response head larger than this is refused as a protocol error, so nothing one response says is longer. */
  maxResponseHeadBytes: 256 * 1024,
  /** Extra request headers; the relay carries them as 2 × this many name/value strings. */
  maxHeaders: 64,
  /** Their names and values together: many servers refuse a request head past 8–32 KiB anyway. */
  maxHeaderBytes: 32 * 1024,
  /** A target URL, a header value: longer than any server accepts in a request line or header. */
  maxUrlChars: 8192,
} as const;

const cookieName = z.string().min(1).max(256).regex(HTTP_TOKEN, 'is not a valid cookie name');

const targetUrl = z.string().max(PROBE_LIMITS.maxUrlChars).trim().transform((raw, ctx) => {
  let u: URL;
  try {
    u = new URL(raw);
  } catch {
    ctx.addIssue({ code: 'custom', message: `"${raw}" is not an absolute URL; write it like http://app.example:8080/path` });
    return z.NEVER;
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') {
    ctx.addIssue({ code: 'custom', message: `only http and https targets can be probed, not ${u.protocol.slice(0, -1)}` });
    return z.NEVER;
  }
  if (u.username || u.password) {
    ctx.addIssue({ code: 'custom', message: 'credentials in the URL are not sent by browsers; use an Authorization header' });
    return z.NEVER;
  }
  u.hash = '';
  return u.href;
});

const regexSource = z
  .string()
  .min(1)
  .max(500)
  .refine((s) => {
    try {
      new RegExp(s);
      return true;
    } catch {
      return false;
    }
  }, 'is not a valid regular expression');
const jsonPath = z.string().max(500).regex(/^[A-Za-z0-9_$-]+(\.[A-Za-z0-9_$-]+)*$/, 'should be a field name or dotted path like meta.host');

const identitySchema = z.union([
  z.literal('auto'),
  z.strictObject({ header: headerNameSchema.transform((h) => h.toLowerCase()) }),
  z.strictObject({ bodyRegex: regexSource }),
  z.strictObject({ jsonField: jsonPath }),
  z.strictObject({ cookie: cookieName }),
]);

export type IdentitySpec = z.output<typeof identitySchema>;

/** engine.io closes a session silent for pingInterval + pingTimeout (45 s with socket.io's defaults). */
export const ENGINEIO_MAX_INTERVAL_MS = 20_000;

export const engineioOptionsSchema = z.strictObject({
  /** socket.io's `path` option. */
  path: z.string().max(2048).regex(/^\/[^?#\s]*$/, 'should be a path like /socket.io/').default('/socket.io/'),
  /** 4: socket.io 3 and later; 3: socket.io 2 (or a v4 server with allowEIO3). */
  version: z.union([z.literal(3), z.literal(4)]).default(4),
  namespace: z.string().max(2048).regex(/^\/[^,\s?#]*$/, 'should be a namespace like / or /chat').default('/'),
  /** End each session with a WebSocket upgrade carrying the same sid and cookies. */
  upgrade: z.boolean().default(true),
});
export type EngineioOptions = z.output<typeof engineioOptionsSchema>;

/** Shiny's id syntax for outputs and inputs (R names, module namespaces joined with `-`). */
const shinyId = z.string().min(1).max(256).regex(/^[A-Za-z0-9_.:-]+$/, 'should be an output id like table or mod-table');

export const shinyOptionsSchema = z.strictObject({
  /** The session route requested again and again: `auto` takes a DT table, else a download, else an upload. */
  route: z.enum(['auto', ...shinyRouteKinds]).default('auto'),
  /** The output (or file input) whose route to use; null: the first of that kind the page declares. */
  output: shinyId.nullable().default(null),
  /**
   * How a SockJS session travels (Shiny Server, Posit Connect, ShinyProxy): `auto` as a browser does, WebSocket
   * first and the xhr fallbacks when it is refused; or one of them, to test a fallback where WebSocket works.
   */
  transport: z.enum(shinyTransportChoices).default('auto'),
});
export type ShinyOptions = z.output<typeof shinyOptionsSchema>;

/** What a held socket may queue and hand back, so a chatty or hostile server costs bounded memory. */
export const SOCKET_LIMITS = {
  /** Characters kept of one frame; a longer one is cut (Shiny's `values` can carry whole plots). */
  maxFrameChars: 256 * 1024,
  /** Frames queued and not yet received; past this the socket is closed as overflowing. */
  maxQueuedFrames: 1024,
  /** Characters queued and not yet received. */
  maxQueuedChars: 4 * 1024 * 1024,
  /** Largest frame accepted on the wire before it is cut; past this the server is refused (close 1009). */
  maxPayloadBytes: 64 * 1024 * 1024,
} as const;

export const sessionRouteOptionsSchema = z
  .strictObject({
    /** Finds the session-scoped URL in the page: the first group of the match, or the whole match. */
    extractRegex: regexSource.optional(),
    /** Or reads it from a JSON page at this dotted path. */
    extractJson: jsonPath.optional(),
    breakStatuses: z.array(z.number().int().min(100).max(599)).min(1).max(16).default([404, 410]),
    /** Text in a session route's body that means the server did not know the session. */
    bodyMarker: z.string().min(1).max(500).nullable().default(null),
  })
  .refine((o) => (o.extractRegex === undefined) !== (o.extractJson === undefined), {
    message: 'give either a regex (extractRegex) or a JSON path (extractJson) to find the session URL in the page, not both',
  });
export type SessionRouteOptions = z.output<typeof sessionRouteOptionsSchema>;

/** Session cookie names of common app frameworks (Express, Java servlets, PHP, Flask, Rails). */
export const KNOWN_APP_SESSION_COOKIES = ['connect.sid', 'JSESSIONID', 'PHPSESSID', 'session', '_session_id'] as const;

export const probeSpecSchema = z
  .strictObject({
    target: targetUrl,
    method: z.enum(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']).default('GET'),
    body: bodySchema(PROBE_LIMITS.maxBodyBytes).nullable().default(null),
    requests: z.number().int().min(1).max(PROBE_LIMITS.maxRequests).default(100),
    intervalMs: z.number().int().min(0).max(PROBE_LIMITS.maxIntervalMs).default(10),
    concurrency: z.number().int().min(1).max(PROBE_LIMITS.maxConcurrency).default(1),
    timeoutMs: z.number().int().min(PROBE_LIMITS.minTimeoutMs).max(PROBE_LIMITS.maxTimeoutMs).default(10_000),
    stopAtFirstBreak: z.boolean().default(false),
    cookies: z.enum(['browser', 'none']).default('browser'),
    identity: identitySchema.default('auto'),
    /** The balancer's sticky cookie name when known (e.g. from Traefik labels); otherwise guessed from well-known names. */
    balancerCookie: cookieName.nullable().default(null),
    headers: atMostKeys<Record<string, string>>(PROBE_LIMITS.maxHeaders, 'headers')
      .pipe(z.record(headerNameSchema, headerValueSchema(8192)))
      .default({}),
    resolve: z.array(resolveOverrideSchema).max(MAX_RESOLVE_OVERRIDES).default([]),
    expect: z.enum(['sticky', 'spread']).default('sticky'),
    /** Accept self-signed certificates (lab balancers). */
    insecureTls: z.boolean().default(false),
    /**
     * What each request speaks: plain requests, an engine.io session, a page plus its session-scoped URL, or a Shiny
     * session and its session routes. `auto` loads the page first and lets it decide (Shiny, socket.io, else http).
     */
    protocol: z.enum(probeProtocolChoices).default('auto'),
    /** For protocol `engineio`; absent means the defaults. */
    engineio: engineioOptionsSchema.optional(),
    /** Required for protocol `session-route`. */
    sessionRoute: sessionRouteOptionsSchema.optional(),
    /** For protocol `shiny`, or `auto` when the page turns out to be Shiny; absent means the defaults. */
    shiny: shinyOptionsSchema.optional(),
    /** The app's session cookie, to report when the app loses the session: `auto` looks for well-known names. */
    appSessionCookie: z.union([z.literal('auto'), z.literal('off'), cookieName]).default('auto'),
  })
  .superRefine((spec, ctx) => {
    if (spec.engineio && spec.protocol !== 'engineio') {
      ctx.addIssue({ code: 'custom', path: ['engineio'], message: 'engine.io options apply only to protocol engineio' });
    }
    if (spec.sessionRoute && spec.protocol !== 'session-route') {
      ctx.addIssue({ code: 'custom', path: ['sessionRoute'], message: 'session-route options apply only to protocol session-route' });
    }
    if (spec.shiny && spec.protocol !== 'shiny' && spec.protocol !== 'auto') {
      ctx.addIssue({ code: 'custom', path: ['shiny'], message: 'Shiny options apply only to protocol shiny or auto' });
    }
    if (spec.protocol === 'session-route' && !spec.sessionRoute) {
      ctx.addIssue({ code: 'custom', path: ['sessionRoute'], message: 'a session-route probe needs a regex or a JSON path that finds the session URL in the page' });
    }
    if (spec.protocol === 'engineio' || spec.protocol === 'shiny') {
      if (spec.method !== 'GET' || spec.body !== null) {
        const what = spec.protocol === 'shiny' ? 'a Shiny' : 'an engine.io';
        ctx.addIssue({ code: 'custom', path: ['method'], message: `${what} probe sends its own requests; leave method and body unset` });
      }
    }
    if (spec.protocol === 'engineio') {
      if (spec.intervalMs > ENGINEIO_MAX_INTERVAL_MS) {
        ctx.addIssue({
          code: 'custom',
          path: ['intervalMs'],
          message: `at most ${ENGINEIO_MAX_INTERVAL_MS} ms for engine.io: the server closes a session that stays silent for pingInterval + pingTimeout`,
        });
      }
    }
    for (const name of Object.keys(spec.headers)) {
      const why = REFUSED_HEADERS[name.toLowerCase()];
      if (why) ctx.addIssue({ code: 'custom', path: ['headers', name], message: `header ${name} is not allowed: ${why}` });
    }
    if (spec.body !== null && (spec.method === 'GET' || spec.method === 'HEAD')) {
      ctx.addIssue({ code: 'custom', path: ['body'], message: `a ${spec.method} request cannot carry a body` });
    }
    let host: string | null;
    let port: number;
    try {
      const u = new URL(spec.target);
      host = hostKey(u.hostname);
      port = u.port ? Number(u.port) : u.protocol === 'https:' ? 443 : 80;
    } catch {
      return;
    }
    spec.resolve.forEach((r, i) => {
      if (r.host !== host || r.port !== port) {
        ctx.addIssue({
          code: 'custom',
          path: ['resolve', i],
          message: `override ${r.host}:${r.port} does not match the target ${host}:${port}, so it would never apply`,
        });
      }
    });
  })
  .refine((spec) => headerBytes(spec.headers) <= PROBE_LIMITS.maxHeaderBytes, {
    path: ['headers'],
    message: `the headers together may have at most ${PROBE_LIMITS.maxHeaderBytes / 1024} KiB of names and values`,
  });

function headerBytes(headers: Record<string, string>): number {
  let bytes = 0;
  for (const [name, value] of Object.entries(headers)) bytes += name.length + value.length;
  return bytes;
}

export type ProbeSpecInput = z.input<typeof probeSpecSchema>;
export type ProbeSpec = z.output<typeof probeSpecSchema>;

/** Expected-failure form: the first problems and how many there are (lib/validation.ts decides how many are listed). */
export function safeParseProbeSpec(input: unknown): { ok: true; spec: ProbeSpec } | ({ ok: false } & IssueList) {
  const r = probeSpecSchema.safeParse(input);
  return r.success ? { ok: true, spec: r.data } : { ok: false, ...zodIssues(r.error) };
}

/** Throws `InputError` with the first problems and their count. */
export function parseProbeSpec(input: unknown): ProbeSpec {
  const r = safeParseProbeSpec(input);
  if (!r.ok) throw new InputError(issueSummary('probe', r, r.issues.length), r.issues, r.issueCount);
  return r.spec;
}
