// Parses a probe URL once and classifies it the way Chromium's cookie code does.
import type { ProbeUrl, SecureContext } from './types';

/** Chromium's "potentially trustworthy" hosts for cookies on plain http: localhost, *.localhost, 127.0.0.0/8, ::1. */
export function isLoopbackHost(host: string): boolean {
  const h = host.endsWith('.') ? host.slice(0, -1).toLowerCase() : host.toLowerCase();
  if (h === 'localhost' || h.endsWith('.localhost')) return true;
  if (h === '::1' || h === '[::1]') return true;
  return /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(h);
}

export function secureContextOf(protocol: string, host: string): SecureContext {
  if (protocol === 'https:' || protocol === 'wss:') return 'https';
  return isLoopbackHost(host) ? 'loopback' : null;
}

export function isIpAddress(host: string): boolean {
  return /^\d{1,3}(\.\d{1,3}){3}$/.test(host) || host.includes(':');
}

/** Throws `TypeError` for anything but an absolute http(s) URL; the spec schema has already said why to a person. */
export function toProbeUrl(input: string | URL): ProbeUrl {
  const u = typeof input === 'string' ? new URL(input) : input;
  if (u.protocol !== 'http:' && u.protocol !== 'https:') {
    throw new TypeError(`only http and https URLs can be probed, not ${u.protocol}`);
  }
  const host = u.hostname.startsWith('[') ? u.hostname.slice(1, -1) : u.hostname;
  const port = u.port ? Number(u.port) : u.protocol === 'https:' ? 443 : 80;
  return {
    href: u.href,
    protocol: u.protocol,
    origin: u.origin,
    host,
    port,
    pathAndQuery: (u.pathname || '/') + u.search,
    path: u.pathname || '/',
    secureContext: secureContextOf(u.protocol, host),
  };
}
