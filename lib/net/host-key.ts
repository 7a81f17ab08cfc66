// The one canonical form of a host, used wherever two hosts are compared: the relay's allowlist, address overrides,
// the transports' override lookup, share and dashboard hosts. Client-safe.
//
// Two spellings that reach the same place must give the same key, or a check on one and a connection on the other
// disagree. The WHATWG URL parser already canonicalises the way a browser and Node's fetch do (lowercase, IDNA to
// ASCII, IPv4 in its shorthand and hex forms to dotted decimal, IPv6 compressed); on top of that the key drops the
// brackets of IPv6 and one trailing dot, which DNS treats as the same name.

/** Characters that would change how a URL parser splits `http://<host>/` (path, query, userinfo, escapes, spaces). */
const SPLITTING = /[/?#@\\%\s\0-\x1f\x7f]/;

/**
 * The canonical key of a hostname or IP address (IPv6 with or without brackets), or null when it is not one.
 * Ports are not part of a host: `app:80` is null.
 */
export function hostKey(raw: string): string | null {
  const text = raw.trim();
  if (text === '' || text.length > 300 || SPLITTING.test(text)) return null;
  const bracketed = text.startsWith('[') && text.endsWith(']');
  const inner = bracketed ? text.slice(1, -1) : text;
  if (inner.includes('[') || inner.includes(']') || (bracketed && !inner.includes(':'))) return null;
  let parsed: URL;
  try {
    parsed = new URL(`http://${inner.includes(':') ? `[${inner}]` : inner}/`);
  } catch {
    return null;
  }
  if (parsed.port !== '' || parsed.pathname !== '/') return null;
  let host = parsed.hostname;
  if (host.startsWith('[')) return host.slice(1, -1);
  if (host.endsWith('.')) host = host.slice(0, -1);
  // What a URL parser lets through but no DNS name can hold (`!`, `*`, `$`…) is not a host either.
  if (host === '' || host.length > 253 || !/^[a-z0-9_.-]+$/.test(host)) return null;
  if (host.split('.').some((label) => label === '' || label.length > 63)) return null;
  return host;
}

/** Whether two hosts are the same place. */
export function sameHost(a: string, b: string): boolean {
  const ka = hostKey(a);
  return ka !== null && ka === hostKey(b);
}

/** A host as written in a URL authority or a message: IPv6 in brackets. */
export function displayHost(host: string): string {
  return host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
}

/** The key of a host and port together, e.g. `app.example:80`, `[::1]:8080`. */
export function hostPortKey(host: string, port: number): string | null {
  const key = hostKey(host);
  return key === null ? null : `${displayHost(key)}:${port}`;
}

export type HostPort = { host: string; port: number | null };

/**
 * `host`, `host:port`, `[v6]` or `[v6]:port` (a Host header, an authority, a setting's entry) as a host key and a
 * port (null when none is written); null when it is not one. An IPv6 address without brackets is a host alone.
 */
export function parseHostPort(raw: string): HostPort | null {
  const text = raw.trim();
  let host = text;
  let portText: string | null = null;
  const bracketed = /^(\[[^\]]*\])(?::(\d*))?$/.exec(text);
  if (bracketed) {
    host = bracketed[1]!;
    portText = bracketed[2] ?? null;
  } else if (text.indexOf(':') !== -1 && text.indexOf(':') === text.lastIndexOf(':')) {
    host = text.slice(0, text.indexOf(':'));
    portText = text.slice(text.indexOf(':') + 1);
  }
  const key = hostKey(host);
  if (key === null) return null;
  if (portText === null) return { host: key, port: null };
  if (!/^\d{1,5}$/.test(portText) || Number(portText) < 1 || Number(portText) > 65535) return null;
  return { host: key, port: Number(portText) };
}
