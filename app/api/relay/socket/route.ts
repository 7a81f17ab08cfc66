import { getRelayAllowlist } from '@/lib/relay/server';
import { openRelaySocket, socketRoute } from '@/lib/relay/socket';

export const dynamic = 'force-dynamic';

/** Opens a WebSocket the relay holds for the run; answers the handshake's facts and the socket's id. */
export const POST = socketRoute('a socket open', async (body, signal) => openRelaySocket(body, { allowlist: await getRelayAllowlist(), signal }));
