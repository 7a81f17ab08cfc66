import { errorResponse, readJsonBodyText } from '@/lib/http';
import { MAX_RELAY_REQUEST_BYTES, relayResponse } from '@/lib/relay/respond';

export const dynamic = 'force-dynamic';

export async function POST(request: Request) {
  let body: string;
  try {
    body = await readJsonBodyText(request, MAX_RELAY_REQUEST_BYTES, 'a relay request');
  } catch (error) {
    return errorResponse(error);
  }
  return relayResponse(body, request.headers.get('content-type'), request.signal);
}
