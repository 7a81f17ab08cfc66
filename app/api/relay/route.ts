import { errorResponse, readJsonBodyBytes } from '@/lib/http';
import { MAX_RELAY_REQUEST_BYTES, relayResponse } from '@/lib/relay/respond';

export const dynamic = 'force-dynamic';

export async function POST(request: Request) {
  let body: Uint8Array;
  try {
    body = await readJsonBodyBytes(request, MAX_RELAY_REQUEST_BYTES, 'a relay request');
  } catch (error) {
    return errorResponse(error);
  }
  return relayResponse(body, request.headers.get('content-type'), request.signal);
}
