// Who sent a request, as far as the network can tell. Pure.
//
// X-Forwarded-For is written by whoever sent the request, so only the entries added by proxies the operator trusts
// mean anything: each proxy appends the address it received the request from. Walking from the right, the first
// address that is not a trusted proxy is the client; everything left of it is the client's own say-so.
import { canonicalIp, inCidrs, type Cidr } from '@/lib/net/address';
import { parseHostPort } from '@/lib/net/host-key';

/** Request header the front sets to the socket's peer address on every request, replacing anything a client sent. */
export const PEER_HEADER = 'x-stickyscope-peer';

/** Proxies in one chain worth walking; a longer header is someone else's. */
const MAX_HOPS = 32;

/**
 * The client's address: the peer, unless the peer is a trusted proxy; then the rightmost X-Forwarded-For entry that
 * is not one. Null when it cannot be told (no peer, or a trusted proxy forwarded something that is not an address).
 */
export function clientAddress(peer: string | null, forwardedFor: string | null, trustedProxies: readonly Cidr[]): string | null {
  const peerIp = peer === null ? null : canonicalIp(peer);
  if (peerIp === null) return null;
  if (!inCidrs(peerIp, trustedProxies)) return peerIp;
  const hops = (forwardedFor ?? '').split(',').map((hop) => hop.trim()).filter(Boolean);
  let client = peerIp;
  for (let i = hops.length - 1; i >= 0 && hops.length - i <= MAX_HOPS; i--) {
    // Some proxies write a port too (`203.0.113.7:51234`, `[2001:db8::7]:51234`).
    const hopHost = parseHostPort(hops[i]!)?.host;
    const hop = hopHost === undefined ? null : canonicalIp(hopHost);
    if (hop === null) return null;
    client = hop;
    if (!inCidrs(hop, trustedProxies)) return hop;
  }
  return hops.length > MAX_HOPS ? null : client;
}

/** The client address of a request that passed the front (its peer header and X-Forwarded-For); null when unknown. */
export function requestClientAddress(headers: Headers, trustedProxies: readonly Cidr[]): string | null {
  return clientAddress(headers.get(PEER_HEADER) || null, headers.get('x-forwarded-for'), trustedProxies);
}
