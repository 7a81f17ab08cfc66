// Where the dashboard is reached: the Hosts a listener answers to and the origins that are its own pages. Pure.
//
// Answering any Host would let a web page that rebinds its own name to the dashboard's address read the whole API,
// so a listener answers only the names it is known by, each compared by its canonical key and port.
import { displayHost, hostKey, hostPortKey, parseHostPort, type HostPort } from '@/lib/net/host-key';

/** The listener's own scheme: the server speaks plain HTTP; TLS, when there is any, ends at a proxy in front. */
const LISTENER_SCHEME = 'http:';
const DEFAULT_PORT: Record<string, number> = { 'http:': 80, 'https:': 443 };
const LOOPBACK_NAMES = ['localhost', '127.0.0.1', '::1'];

export type SiteSettings = {
  port: number;
  /** The base URL people reach this listener by through a proxy (`https://stickyscope.example.com`), or null. */
  publicUrl: string | null;
  /** Further names it answers to; an entry without a port means the listener's port. */
  extraHosts: readonly HostPort[];
  /** This machine's names and addresses (os.hostname(), interface addresses); loopback names are always in. */
  machineNames: readonly string[];
};

export type Site = {
  port: number;
  publicUrl: string | null;
  /** `host:port` keys a Host header may name. */
  hosts: ReadonlySet<string>;
  /** What a Host without a port may mean: the default port of the listener's scheme and of the public URL's. */
  defaultPorts: readonly number[];
  /** `scheme://host:port` keys of the origins whose pages are this site's own. */
  origins: ReadonlySet<string>;
};

function originKeyOf(scheme: string, host: string, port: number): string | null {
  const key = hostPortKey(host, port);
  return key === null ? null : `${scheme}//${key}`;
}

/** A base URL (`https://host[:port]`, nothing after the authority) as its scheme, host key and port; null when not one. */
export function parseBaseUrl(raw: string): { scheme: string; host: string; port: number } | null {
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    return null;
  }
  const port = DEFAULT_PORT[url.protocol];
  if (port === undefined || url.username || url.password || url.search || url.hash || url.pathname !== '/') return null;
  const host = hostKey(url.hostname);
  return host === null ? null : { scheme: url.protocol, host, port: url.port ? Number(url.port) : port };
}

/** The canonical spelling of a base URL, as links are built from it: `https://stickyscope.example.com`. */
export function canonicalBaseUrl(raw: string): string | null {
  const base = parseBaseUrl(raw);
  if (base === null) return null;
  const port = base.port === DEFAULT_PORT[base.scheme] ? '' : `:${base.port}`;
  return `${base.scheme}//${displayHost(base.host)}${port}`;
}

export function toSite(settings: SiteSettings): Site {
  const hosts = new Set<string>();
  const origins = new Set<string>();
  const defaultPorts = [DEFAULT_PORT[LISTENER_SCHEME]!];
  const allow = (scheme: string, host: string, port: number) => {
    const key = hostPortKey(host, port);
    const origin = originKeyOf(scheme, host, port);
    if (key === null || origin === null) return;
    hosts.add(key);
    origins.add(origin);
  };
  for (const name of [...LOOPBACK_NAMES, ...settings.machineNames]) allow(LISTENER_SCHEME, name, settings.port);
  for (const entry of settings.extraHosts) allow(LISTENER_SCHEME, entry.host, entry.port ?? settings.port);
  const base = settings.publicUrl === null ? null : parseBaseUrl(settings.publicUrl);
  if (base) {
    allow(base.scheme, base.host, base.port);
    const schemeDefault = DEFAULT_PORT[base.scheme]!;
    if (!defaultPorts.includes(schemeDefault)) defaultPorts.push(schemeDefault);
  }
  return { port: settings.port, publicUrl: base ? canonicalBaseUrl(settings.publicUrl!) : null, hosts, defaultPorts, origins };
}

/** Whether a request's Host header names this site. A Host without a port means a scheme's default port. */
export function hostAllowed(site: Site, host: string | undefined): boolean {
  const parsed = host === undefined ? null : parseHostPort(host);
  if (parsed === null) return false;
  const ports = parsed.port === null ? site.defaultPorts : [parsed.port];
  return ports.some((port) => site.hosts.has(hostPortKey(parsed.host, port)!));
}

/** Whether an `Origin` header is one of this site's own origins (scheme, host key and port). */
export function isOwnOrigin(site: Site, origin: string): boolean {
  const base = parseBaseUrl(origin);
  if (base === null) return false;
  const key = originKeyOf(base.scheme, base.host, base.port);
  return key !== null && site.origins.has(key);
}

const MAX_HOST_ENTRIES = 64;

/** Splits a comma-separated list of `host` or `host:port` entries; every bad entry is reported. */
export function parseHostList(raw: string): { entries: HostPort[]; issues: string[] } {
  const entries: HostPort[] = [];
  const issues: string[] = [];
  const parts = raw.split(',').filter((part) => part.trim());
  if (parts.length > MAX_HOST_ENTRIES) return { entries, issues: [`names ${parts.length} hosts; at most ${MAX_HOST_ENTRIES} are allowed`] };
  for (const part of parts) {
    const entry = parseHostPort(part);
    if (entry === null) issues.push(`"${part.trim()}" is not a host or host:port such as stickyscope.internal:3000`);
    else entries.push(entry);
  }
  return { entries, issues };
}
