import { closeRelaySocket, socketRoute } from '@/lib/relay/socket';

export const dynamic = 'force-dynamic';

/** Closes a socket the run holds. */
export const POST = socketRoute('a socket close', (body) => closeRelaySocket(body));
