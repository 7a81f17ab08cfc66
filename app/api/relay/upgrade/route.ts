import { errorResponse, noStore, readJsonBody } from '@/lib/http';
import { getRelayAllowlist } from '@/lib/relay/server';
import { relayUpgrade } from '@/lib/relay/upgrade';

export const dynamic = 'force-dynamic';

/** An upgrade request is a few hundred bytes. */
const MAX_REQUEST_BYTES = 64 * 1024;

export async function POST(request: Request) {
  try {
    const body = await readJsonBody(request, MAX_REQUEST_BYTES, 'an upgrade check is a JSON relay request');
    const result = await relayUpgrade(body, { allowlist: await getRelayAllowlist(), signal: request.signal });
    return Response.json(result, { headers: noStore });
  } catch (error) {
    return errorResponse(error);
  }
}
