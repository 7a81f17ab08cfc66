import { sendOnRelaySocket, socketRoute } from '@/lib/relay/socket';

export const dynamic = 'force-dynamic';

/** Sends one text frame on a socket the run holds. */
export const POST = socketRoute('a socket send', (body) => sendOnRelaySocket(body));
