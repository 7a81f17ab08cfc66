// engine.io's long-polling wire format (protocol versions 3 and 4) and what its answers mean for affinity. Pure.
//
// Version 4 joins the packets of one HTTP body with the record separator 0x1e; version 3 writes each packet as
// `<length>:<packet>`. A packet is a one-digit type followed by its data.
import { z } from 'zod';
import type { EngineioOptions } from '../spec';
import type { ProtocolOutcome } from '../types';

export type EngineioVersion = EngineioOptions['version'];

const SEPARATOR = '\x1e';
export const UNKNOWN_SID = 'Session ID unknown';
/** The WebSocket probe engine.io clients send on a new transport before switching to it, and its answer. */
export const UPGRADE_PROBE = '2probe';
export const UPGRADE_PROBE_ANSWER = '3probe';

export function encodePayload(packets: readonly string[], version: EngineioVersion): string {
  return version === 4 ? packets.join(SEPARATOR) : packets.map((p) => `${p.length}:${p}`).join('');
}

/** The packets of a polling body; null when the body is not a payload of this version. */
export function decodePayload(body: string, version: EngineioVersion): string[] | null {
  if (body === '') return null;
  if (version === 4) return body.split(SEPARATOR);
  const packets: string[] = [];
  let i = 0;
  while (i < body.length) {
    const colon = body.indexOf(':', i);
    const length = colon === -1 ? NaN : Number(body.slice(i, colon));
    if (colon === i || !Number.isInteger(length) || length < 1 || colon + 1 + length > body.length) return null;
    packets.push(body.slice(colon + 1, colon + 1 + length));
    i = colon + 1 + length;
  }
  return packets;
}

/** The socket.io CONNECT packet for a namespace. */
export function joinPacket(namespace: string): string {
  return namespace === '/' ? '40' : `40${namespace},`;
}

/** What a client posts to show it is alive: version 4 clients answer the server's ping (pong), version 3 clients ping. */
export function heartbeatPacket(version: EngineioVersion): string {
  return version === 4 ? '3' : '2';
}

// Other systems' JSON: only what we use is checked, anything else is kept out of the way.
const openSchema = z.looseObject({
  sid: z.string().min(1).max(200),
  upgrades: z.array(z.string()).catch([]),
  pingInterval: z.number().catch(25_000),
  pingTimeout: z.number().catch(20_000),
});
export type OpenPacket = z.output<typeof openSchema>;

const errorSchema = z.looseObject({ code: z.number().optional(), message: z.string().optional() });

export type Answer = { outcome: ProtocolOutcome; answer: string; message: string | null };
export type HandshakeAnswer = Answer & { open: OpenPacket | null };

function snippet(body: string, max = 80): string {
  const flat = body.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max)}…` : flat;
}

function serverMessage(body: string): string | null {
  try {
    const parsed = errorSchema.safeParse(JSON.parse(body));
    return parsed.success ? (parsed.data.message ?? null) : null;
  } catch {
    return null;
  }
}

function unexpected(status: number, body: string, what: string): Answer {
  const text = serverMessage(body) ?? snippet(body);
  return { outcome: 'error', answer: `HTTP ${status}${text ? ` ${text}` : ''}`, message: `${what} answered HTTP ${status}${text ? `: ${text}` : ' with an empty body'}` };
}

export function classifyHandshake(status: number, body: string, version: EngineioVersion): HandshakeAnswer {
  if (status !== 200) return { ...unexpected(status, body, 'the handshake'), open: null };
  const first = decodePayload(body, version)?.[0];
  let open: OpenPacket | null = null;
  if (first?.startsWith('0')) {
    try {
      const parsed = openSchema.safeParse(JSON.parse(first.slice(1)));
      if (parsed.success) open = parsed.data;
    } catch {
      open = null;
    }
  }
  if (!open) {
    return {
      outcome: 'error',
      answer: snippet(body),
      message: `the handshake did not answer an engine.io v${version} open packet (got "${snippet(body, 60)}"): check the path and the version`,
      open: null,
    };
  }
  return { outcome: 'ok', answer: `open sid ${open.sid}`, message: null, open };
}

/** A POST on a session: `ok` reached its replica, `Session ID unknown` reached another one. */
export function classifyPost(status: number, body: string): Answer {
  if (status === 200 && body.trim() === 'ok') return { outcome: 'ok', answer: 'ok', message: null };
  if (status === 400 && serverMessage(body) === UNKNOWN_SID) return { outcome: 'break', answer: UNKNOWN_SID, message: null };
  if (status === 400 && body === '') {
    return {
      outcome: 'error',
      answer: 'HTTP 400 (empty)',
      message: 'the server answered 400 with an empty body and closed the session: two requests overlapped on one sid, or it refused the packet',
    };
  }
  return unexpected(status, body, 'the POST');
}

/** A WebSocket upgrade with the session's sid: `3probe` back means it reached the replica holding the session. */
export function classifyUpgrade(status: number, body: string): Answer {
  if (status === 101) {
    return body === UPGRADE_PROBE_ANSWER
      ? { outcome: 'ok', answer: UPGRADE_PROBE_ANSWER, message: null }
      : {
          outcome: 'error',
          answer: snippet(body) || '(no frame)',
          message: `the WebSocket opened but answered ${body ? `"${snippet(body, 60)}"` : 'nothing'} to ${UPGRADE_PROBE} instead of ${UPGRADE_PROBE_ANSWER}`,
        };
  }
  if (status === 400 && (body.includes(UNKNOWN_SID) || serverMessage(body) === UNKNOWN_SID)) {
    return { outcome: 'break', answer: UNKNOWN_SID, message: null };
  }
  return unexpected(status, body, 'the WebSocket upgrade');
}

/** The polling or WebSocket URL of the engine.io endpoint on the target's origin; the target's query goes along. */
export function engineioUrl(target: string, options: Pick<EngineioOptions, 'path' | 'version'>, params: { transport: 'polling' | 'websocket'; sid?: string }): string {
  const base = new URL(target);
  const url = new URL(options.path, base.origin);
  for (const [key, value] of base.searchParams) url.searchParams.append(key, value);
  url.searchParams.set('EIO', String(options.version));
  url.searchParams.set('transport', params.transport);
  if (params.sid !== undefined) url.searchParams.set('sid', params.sid);
  return url.href;
}
