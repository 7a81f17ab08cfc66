import { InputError } from '@/lib/errors';
import { errorResponse, noStore } from '@/lib/http';
import { relayRequest } from '@/lib/relay/relay';
import { getRelayAllowlist } from '@/lib/relay/server';

export const dynamic = 'force-dynamic';

/** Relay requests are a few hundred bytes; anything near this is not one. */
const MAX_REQUEST_BYTES = 256 * 1024;

export async function POST(request: Request) {
  try {
    const text = await request.text();
    if (text.length > MAX_REQUEST_BYTES) throw new InputError('relay request too large');
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      throw new InputError('the relay expects a JSON body');
    }
    const result = await relayRequest(body, { allowlist: await getRelayAllowlist(), signal: request.signal });
    return Response.json(result, { headers: noStore });
  } catch (error) {
    return errorResponse(error);
  }
}
