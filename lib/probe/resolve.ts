// Address overrides (curl's `--resolve host:port:address`): connect to `address` for `host:port` while the URL, Host
// header, SNI and cookies keep the hostname. Client-safe.
//
// Every override is stored in canonical form (host by `hostKey`, address by `canonicalIp`) and looked up by the same
// key, so the allowlist that checks an override and the transport that uses it can never read two different hosts
// out of one spelling.
import { z } from 'zod';
import { canonicalIp } from '@/lib/net/address';
import { hostKey, hostPortKey } from '@/lib/net/host-key';

export type ResolveOverride = { host: string; port: number; address: string };

/** Most overrides one run may carry. */
export const MAX_RESOLVE_OVERRIDES = 16;

/** An override from its parts, in canonical form; a message naming what is wrong otherwise. */
export function toResolveOverride(host: string, port: number, address: string, raw = `${host}:${port}:${address}`): ResolveOverride | string {
  if (host === '*' || host.startsWith('+')) return `"${raw}": wildcard and "+" entries of curl are not supported`;
  const key = hostKey(host);
  if (key === null) return `"${raw}": "${host}" is not a hostname or IP address`;
  if (!Number.isInteger(port) || port < 1 || port > 65535) return `"${raw}": port ${port} is out of range`;
  if (address.includes(',')) return `"${raw}": give one address per entry`;
  const ip = canonicalIp(address);
  if (ip === null) return `"${raw}": "${address}" is not an IP address`;
  return { host: key, port, address: ip };
}

/** Parses curl's `--resolve host:port:address` (one address; IPv6 in brackets or bare). */
export function parseResolveOverride(raw: string): ResolveOverride | string {
  const m = /^([^:\s]+):(\d{1,5}):(.+)$/.exec(raw.trim());
  if (!m) return `"${raw}" should look like host:port:address, e.g. app.test:80:127.0.0.1`;
  const [, host = '', portText = '', address = ''] = m;
  return toResolveOverride(host, Number(portText), address, raw);
}

/** The zod form: a `host:port:address` string or `{ host, port, address }`, either way canonical afterwards. */
export const resolveOverrideSchema = z.union([z.string().max(400), z.strictObject({ host: z.string().max(300), port: z.number(), address: z.string().max(100) })]).transform((input, ctx) => {
  const r = typeof input === 'string' ? parseResolveOverride(input) : toResolveOverride(input.host, input.port, input.address);
  if (typeof r === 'string') {
    ctx.addIssue({ code: 'custom', message: r });
    return z.NEVER;
  }
  return r;
});

/** The address to connect to for `host:port`, looked up by canonical key; undefined when no override applies. */
export function overrideLookup(resolve: readonly ResolveOverride[]): (host: string, port: number) => string | undefined {
  const byKey = new Map<string, string>();
  for (const r of resolve) {
    const key = hostPortKey(r.host, r.port);
    if (key !== null) byKey.set(key, r.address);
  }
  return (host, port) => {
    if (byKey.size === 0) return undefined;
    const key = hostPortKey(host, port);
    return key === null ? undefined : byKey.get(key);
  };
}
