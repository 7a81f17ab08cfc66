import 'server-only';
// Held WebSockets for a probe running in the browser: a page's own WebSocket cannot carry the run's cookie jar or an
// address override, so the server opens the socket on the run's behalf and holds it (./sockets.ts) while the page
// sends, receives and closes by its id. Opening is allowlisted exactly like every relayed request.
import { errorResponse, noStore, readJsonBody } from '@/lib/http';
import { openSocketNode } from '@/lib/probe/protocols/socket-node';
import type { SocketReceipt } from '@/lib/probe/types';
import { parseInput } from '@/lib/validation';
import { mayReachAddress, type Allowlist } from './allowlist';
import { allowedTarget, msSince, toRelayResult } from './relay';
import {
  RELAY_MAX_BODY_BYTES,
  relaySocketCloseSchema,
  relaySocketOpenSchema,
  relaySocketReceiveSchema,
  relaySocketSendSchema,
  type RelaySocketCloseResult,
  type RelaySocketOpenResult,
  type RelaySocketSendResult,
} from './schema';
import { closeSocket, receiveOn, reserveSocket, withSocket } from './sockets';

export async function openRelaySocket(input: unknown, options: { allowlist: Allowlist; signal?: AbortSignal }): Promise<RelaySocketOpenResult> {
  const req = parseInput(relaySocketOpenSchema, input, 'relay socket request');
  const { url, resolve } = allowedTarget(req, options.allowlist);
  const ticket = reserveSocket(req.run);
  const t0 = performance.now();
  let opened: Awaited<ReturnType<typeof openSocketNode>>;
  try {
    opened = await openSocketNode(
      { url, method: 'GET', headers: req.headers, cookieHeader: req.cookie, body: req.frame },
      {
        resolve,
        timeoutMs: req.timeoutMs,
        insecureTls: req.insecureTls,
        maxBodyBytes: RELAY_MAX_BODY_BYTES,
        allowAddress: (address) => mayReachAddress(options.allowlist, address, url.port),
      },
      options.signal,
    );
  } catch (error) {
    ticket.release();
    throw error;
  }
  const facts = { maxBodyBytes: RELAY_MAX_BODY_BYTES, exposeHeaders: req.exposeHeaders, upstreamMs: msSince(t0) };
  if (!opened.ok) {
    ticket.release();
    return toRelayResult(opened, facts) as RelaySocketOpenResult;
  }
  const { socket, ...response } = opened;
  let id: string | null = null;
  if (socket && options.signal?.aborted) {
    // The page went away while the socket opened: nobody would ever learn its id.
    ticket.release();
    await socket.close();
  } else if (socket) {
    id = ticket.hold(socket);
  } else {
    ticket.release();
  }
  const result = toRelayResult(response, facts);
  return result.ok ? { ...result, socket: id } : result;
}

export async function sendOnRelaySocket(input: unknown): Promise<RelaySocketSendResult> {
  const req = parseInput(relaySocketSendSchema, input, 'relay socket send');
  return { sent: await withSocket(req.run, req.socket, (socket) => socket.send(req.text)) };
}

export async function receiveOnRelaySocket(input: unknown, signal?: AbortSignal): Promise<SocketReceipt> {
  const req = parseInput(relaySocketReceiveSchema, input, 'relay socket receive');
  const { until, maxFrames, maxChars, timeoutMs } = req;
  return receiveOn(req.run, req.socket, (socket) => socket.receive({ until, maxFrames, maxChars, timeoutMs }, signal));
}

export async function closeRelaySocket(input: unknown): Promise<RelaySocketCloseResult> {
  const req = parseInput(relaySocketCloseSchema, input, 'relay socket close');
  await closeSocket(req.run, req.socket);
  return { closed: true };
}

/** Requests to the socket routes are small: headers and one frame at most. */
export const MAX_SOCKET_REQUEST_BYTES = 512 * 1024;

/** A socket route's POST handler: JSON body read within its bound, one handler call, its answer as JSON or a 4xx. */
export function socketRoute(what: string, handle: (body: unknown, signal: AbortSignal) => Promise<unknown>): (request: Request) => Promise<Response> {
  return async (request) => {
    try {
      const body = await readJsonBody(request, MAX_SOCKET_REQUEST_BYTES, `${what} is a JSON relay request`);
      return Response.json(await handle(body, request.signal), { headers: noStore });
    } catch (error) {
      return errorResponse(error);
    }
  };
}
