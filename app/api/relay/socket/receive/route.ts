import { receiveOnRelaySocket, socketRoute } from '@/lib/relay/socket';

export const dynamic = 'force-dynamic';

/** Hands back the frames a socket the run holds has queued, waiting within the request's bounds. */
export const POST = socketRoute('a socket receive', (body, signal) => receiveOnRelaySocket(body, signal));
