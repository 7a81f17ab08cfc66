// The relay's wire format, shared by the route (which validates it) and the browser transport (which builds it).
// Client-safe: no Node imports.
import { z } from 'zod';
import { bodySchema, headerNameSchema, headerValueSchema, isHttpToken } from '@/lib/net/http-bytes';
import { MAX_RESOLVE_OVERRIDES } from '@/lib/probe/resolve';
import { PROBE_LIMITS, REFUSED_HEADERS, SOCKET_LIMITS } from '@/lib/probe/spec';
import type { ProbeError } from '@/lib/probe/types';

/** Most connections one run may hold open through the relay, whatever its concurrency. */
export const RELAY_MAX_CONNECTIONS = 32;
/** Body bytes the relay reads and returns at most: enough for identity detection, never a whole download. */
export const RELAY_MAX_BODY_BYTES = PROBE_LIMITS.maxBodyBytes;

/** Response headers always handed back: the ones identity `auto` reads, and a few that explain a response. */
export const RELAY_BASE_HEADERS = [
  'x-replica',
  'x-served-by',
  'x-backend-server',
  'content-type',
  'content-length',
  'location',
  'server',
  'via',
] as const;

const relayUrl = z.string().max(8192).refine((raw) => {
  try {
    const u = new URL(raw);
    return (u.protocol === 'http:' || u.protocol === 'https:') && !u.username && !u.password;
  } catch {
    return false;
  }
}, 'must be an absolute http(s) URL without credentials');
/** Flat name/value pairs, as the engine builds them once per run; names are checked pairwise below. */
const flatHeaders = z.array(headerValueSchema(8192)).max(128);
const cookieHeader = headerValueSchema(16_384).nullable();
/** Checked and made canonical by `toResolveOverride` once parsed, so its message names the entry. */
const resolveList = z
  .array(
    z.strictObject({
      host: z.string().min(1).max(300),
      port: z.number().int().min(1).max(65535),
      address: z.string().min(2).max(100),
    }),
  )
  .max(MAX_RESOLVE_OVERRIDES);
/**
 * The run a request belongs to: a random id the page draws once per run. The relay keeps connections per run, so
 * one run's traffic never shares, evicts or closes another's.
 */
export const relayRunId = z.string().regex(/^[A-Za-z0-9_-]{16,64}$/, 'should be a random run id of 16–64 letters, digits, "-" or "_"');
const timeoutMs = z.number().int().min(PROBE_LIMITS.minTimeoutMs).max(PROBE_LIMITS.maxTimeoutMs);
/** Response headers wanted besides `RELAY_BASE_HEADERS`, e.g. the identity header a run names. */
const exposeHeaders = z.array(headerNameSchema.transform((h) => h.toLowerCase())).max(16);

function checkHeaders(req: { headers: string[] }, ctx: z.RefinementCtx): void {
  if (req.headers.length % 2 !== 0) ctx.addIssue({ code: 'custom', path: ['headers'], message: 'must be name/value pairs' });
  for (let i = 0; i + 1 < req.headers.length; i += 2) {
    const name = req.headers[i]!;
    if (!isHttpToken(name)) {
      ctx.addIssue({ code: 'custom', path: ['headers', i], message: `"${name}" is not a valid HTTP header name` });
      continue;
    }
    const why = REFUSED_HEADERS[name.toLowerCase()];
    if (why) ctx.addIssue({ code: 'custom', path: ['headers', i], message: `header ${name} is not allowed: ${why}` });
  }
}

export const relayRequestSchema = z
  .strictObject({
    run: relayRunId,
    url: relayUrl,
    method: z.enum(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']),
    headers: flatHeaders,
    cookie: cookieHeader,
    body: bodySchema(PROBE_LIMITS.maxBodyBytes).nullable(),
    resolve: resolveList,
    timeoutMs,
    insecureTls: z.boolean(),
    connections: z.number().int().min(1).max(RELAY_MAX_CONNECTIONS),
    maxBodyBytes: z.number().int().min(0).max(RELAY_MAX_BODY_BYTES),
    exposeHeaders,
  })
  .superRefine(checkHeaders);

export type RelayRequest = z.infer<typeof relayRequestSchema>;

/** What the relay answers for one upstream request: the raw facts, for the browser's engine loop to judge. */
export type RelayResult =
  | {
      ok: true;
      status: number;
      headers: Record<string, string>;
      setCookie: string[];
      bodyPrefix: string;
      bodyTruncated: boolean;
      ttfbMs: number | null;
      /** Time the relay spent on the upstream request, to tell relay overhead from target latency. */
      upstreamMs: number;
    }
  | { ok: false; error: ProbeError; upstreamMs: number };

/** The first text frame of a relayed WebSocket, e.g. engine.io's `2probe`: a probe, never a conversation. */
export const RELAY_MAX_FRAME_BYTES = 1024;

/** Where a relayed WebSocket goes and what it carries, for the one-shot upgrade and for held sockets alike. */
const socketTarget = {
  url: relayUrl,
  headers: flatHeaders,
  cookie: cookieHeader,
  resolve: resolveList,
  timeoutMs,
  insecureTls: z.boolean(),
  exposeHeaders,
};

/** One WebSocket upgrade attempt: open it with these headers and cookie, send `frame`, hand back the first answer. */
export const relayUpgradeSchema = z
  .strictObject({ ...socketTarget, frame: z.string().max(RELAY_MAX_FRAME_BYTES) })
  .superRefine(checkHeaders);

export type RelayUpgradeRequest = z.infer<typeof relayUpgradeSchema>;

// ---------------------------------------------------------------- held sockets

/**
 * A text frame a page sends on a held socket: a Shiny `init` names every output of the page, so a few dozen KiB;
 * SockJS framing wraps it once more.
 */
export const RELAY_MAX_SOCKET_FRAME_BYTES = 128 * 1024;
/** Longest `until` text: a key such as `"values"`, quoted once more by SockJS. */
export const RELAY_MAX_UNTIL_CHARS = 256;

/** A held socket's id at the relay: 128 random bits, base64url. Only the run that opened it may use it. */
export const relaySocketId = z.string().regex(/^[A-Za-z0-9_-]{22}$/, 'should be a socket id the relay handed out');

/** Opens a WebSocket and holds it for `run`; `frame` (when set) is the first text frame, sent once it is open. */
export const relaySocketOpenSchema = z
  .strictObject({ run: relayRunId, ...socketTarget, frame: bodySchema(RELAY_MAX_SOCKET_FRAME_BYTES).nullable() })
  .superRefine(checkHeaders);
export type RelaySocketOpenRequest = z.infer<typeof relaySocketOpenSchema>;

const heldSocket = { run: relayRunId, socket: relaySocketId };

export const relaySocketSendSchema = z.strictObject({ ...heldSocket, text: bodySchema(RELAY_MAX_SOCKET_FRAME_BYTES) });
export type RelaySocketSendRequest = z.infer<typeof relaySocketSendSchema>;

/** `SocketReceiveOptions` on the wire, each bound the held socket's own queue keeps (`SOCKET_LIMITS`). */
export const relaySocketReceiveSchema = z.strictObject({
  ...heldSocket,
  until: z.string().min(1).max(RELAY_MAX_UNTIL_CHARS).optional(),
  maxFrames: z.number().int().min(1).max(SOCKET_LIMITS.maxQueuedFrames),
  maxChars: z.number().int().min(0).max(SOCKET_LIMITS.maxQueuedChars),
  timeoutMs: z.number().int().min(0).max(PROBE_LIMITS.maxTimeoutMs),
});
export type RelaySocketReceiveRequest = z.infer<typeof relaySocketReceiveSchema>;

export const relaySocketCloseSchema = z.strictObject(heldSocket);
export type RelaySocketCloseRequest = z.infer<typeof relaySocketCloseSchema>;

/** The handshake's facts as for any relayed request, and the held socket's id when the server accepted it. */
export type RelaySocketOpenResult = (Extract<RelayResult, { ok: true }> & { socket: string | null }) | Extract<RelayResult, { ok: false }>;
export type RelaySocketSendResult = { sent: boolean };
export type RelaySocketCloseResult = { closed: true };

/** Error codes the relay answers with instead of a result. */
export const RELAY_REFUSAL_CODES = ['target-not-allowed', 'invalid-input'] as const;
