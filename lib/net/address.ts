// What kind of place an IP address is, decided by ipaddr.js's range tables rather than hand-written patterns.
// Client-safe. Every input goes through `hostKey` first, so `0x7f.1`, `127.1` and `[::ffff:127.0.0.1]` are the
// addresses a connection would reach, not strings to pattern-match.
import ipaddr from 'ipaddr.js';
import { parseCommaList } from '@/lib/comma-list';
import { hostKey } from './host-key';

export type IpAddress = ipaddr.IPv4 | ipaddr.IPv6;

/**
 * Where an address leads. `internal` covers RFC 1918, CGNAT (100.64/10), IPv6 unique local (fc00::/7) and the other
 * non-public ranges that are not loopback or link-local.
 */
export type AddressScope = 'public' | 'loopback' | 'link-local' | 'internal' | 'unspecified' | 'multicast';

/** The address in `text`, IPv4-mapped IPv6 unwrapped to IPv4; null when `text` is a name or not an address. */
export function parseIp(text: string): IpAddress | null {
  const key = hostKey(text);
  if (key === null) return null;
  if (key.includes(':')) {
    if (!ipaddr.IPv6.isValid(key)) return null;
    return ipaddr.process(key);
  }
  return ipaddr.IPv4.isValidFourPartDecimal(key) ? ipaddr.IPv4.parse(key) : null;
}

export function isIp(text: string): boolean {
  return parseIp(text) !== null;
}

/** The address as one canonical string (`127.0.0.1`, `fd00::1`), or null when it is not one. */
export function canonicalIp(text: string): string | null {
  return parseIp(text)?.toString() ?? null;
}

const SCOPES: Record<string, AddressScope> = {
  unicast: 'public',
  loopback: 'loopback',
  linkLocal: 'link-local',
  unspecified: 'unspecified',
  multicast: 'multicast',
  broadcast: 'multicast',
};

export function addressScope(address: IpAddress): AddressScope {
  return SCOPES[address.range()] ?? 'internal';
}

/** The scope of `text` when it is an IP address; null for names. */
export function scopeOf(text: string): AddressScope | null {
  const ip = parseIp(text);
  return ip === null ? null : addressScope(ip);
}

/** Cloud metadata endpoints outside link-local space (AWS's IPv6 one); link-local itself is refused as a whole. */
const METADATA_V6 = ['fd00:ec2::254'].map((a) => ipaddr.IPv6.parse(a).toString());

/**
 * Whether `text` is a link-local or cloud-metadata address (169.254.0.0/16, fe80::/10, fd00:ec2::254): reaching one
 * from the dashboard's server reads the host's credentials on most clouds.
 */
export function isMetadataAddress(text: string): boolean {
  const ip = parseIp(text);
  if (ip === null) return false;
  return addressScope(ip) === 'link-local' || (ip.kind() === 'ipv6' && METADATA_V6.includes(ip.toString()));
}

/** Whether an address is anything but a public unicast one: what a shared report must not show. */
export function isNonPublicIp(text: string): boolean {
  const ip = parseIp(text);
  return ip !== null && addressScope(ip) !== 'public';
}

export type Cidr = [IpAddress, number];

/** `10.0.0.0/8`, `fd00::/8`, or a single address (a /32 or /128); a message when it is none of those. */
export function parseCidr(raw: string): Cidr | string {
  const text = raw.trim();
  const slash = text.indexOf('/');
  const address = parseIp(slash === -1 ? text : text.slice(0, slash));
  if (address === null) return `"${raw}" is not an IP address or CIDR range such as 10.0.0.0/8`;
  const max = address.kind() === 'ipv4' ? 32 : 128;
  if (slash === -1) return [address, max];
  const bitsText = text.slice(slash + 1);
  // An IPv4-mapped range written in IPv6 (::ffff:10.0.0.0/104) counts its prefix in IPv6 bits.
  const mapped = address.kind() === 'ipv4' && text.slice(0, slash).includes(':');
  const bits = Number(bitsText) - (mapped ? 96 : 0);
  if (!/^\d{1,3}$/.test(bitsText) || bits < 0 || bits > max) return `"${raw}": the prefix length must be 0–${max}`;
  return [address, bits];
}

/** Splits a comma-separated list of CIDR ranges; every bad entry is reported. */
export function parseCidrList(raw: string): { entries: Cidr[]; issues: string[] } {
  return parseCommaList(raw, parseCidr);
}

export function inCidrs(text: string, cidrs: readonly Cidr[]): boolean {
  const ip = parseIp(text);
  if (ip === null) return false;
  return cidrs.some(([range, bits]) => range.kind() === ip.kind() && ip.match(range, bits));
}
