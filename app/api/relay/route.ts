import { relayResponse } from '@/lib/relay/respond';

export const dynamic = 'force-dynamic';

export async function POST(request: Request) {
  return relayResponse(await request.text(), request.headers.get('content-type'), request.signal);
}
