import 'server-only';
// POST /api/relay from raw body to response, shared by the route handler and the server's direct path
// (scripts/server.mjs), which answers relay calls without the framework's per-request pipeline.
import { InputError, TooLargeError } from '@/lib/errors';
import { errorResponse, noStore, parseJsonBytes } from '@/lib/http';
import { relayRequest } from './relay';
import { getRelayAllowlist } from './server';

/** Relay requests are a few hundred bytes; anything near this is not one. */
export const MAX_RELAY_REQUEST_BYTES = 256 * 1024;

/** A route the server answers ahead of the framework: its raw body (at most `maxBodyBytes` is needed) to a response. */
export type DirectRoute = {
  maxBodyBytes: number;
  respond: (body: Uint8Array, contentType: string | null, signal: AbortSignal) => Promise<Response>;
};

/**
 * `contentType` must be JSON: a cross-site page can only send one with a CORS preflight, which this server never
 * grants, so no other site can make the dashboard send requests on its behalf.
 */
export async function relayResponse(body: Uint8Array, contentType: string | null, signal: AbortSignal): Promise<Response> {
  try {
    if (!contentType || !/^application\/json\s*(;|$)/i.test(contentType)) {
      return errorResponse(new InputError('the relay expects Content-Type: application/json'));
    }
    if (body.byteLength > MAX_RELAY_REQUEST_BYTES) throw new TooLargeError(`a relay request has at most ${MAX_RELAY_REQUEST_BYTES / 1024} KiB`);
    const parsed = parseJsonBytes(body, 'a relay request');
    const result = await relayRequest(parsed, { allowlist: await getRelayAllowlist(), signal });
    return Response.json(result, { headers: noStore });
  } catch (error) {
    return errorResponse(error);
  }
}

export const directRelayRoute: DirectRoute = { maxBodyBytes: MAX_RELAY_REQUEST_BYTES, respond: relayResponse };
