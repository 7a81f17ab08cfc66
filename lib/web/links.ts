// The base URLs links to the dashboard and to share pages are built from. Pure.
//
// Never from X-Forwarded-Host or X-Forwarded-Proto: any client can send those, and a share link is handed to other
// people. The configured public URLs come first; without them, the Host the request came in by, which the front has
// already checked against the names the dashboard answers to, on the listener's own scheme.
import { displayHost, parseHostPort } from '@/lib/net/host-key';
import type { WebConfig } from './config';

/** `http://<host>[:port]` from a Host header, or null when it is not a host. */
function listenerBase(hostHeader: string | null, port: number | 'as-given'): string | null {
  const parsed = hostHeader === null ? null : parseHostPort(hostHeader);
  if (parsed === null) return null;
  const p = port === 'as-given' ? parsed.port : port;
  return `http://${displayHost(parsed.host)}${p === null ? '' : `:${p}`}`;
}

/** The dashboard's base URL for links to its own pages; null when there is no public URL and the Host is not a host. */
export function dashboardBaseUrl(config: Pick<WebConfig, 'publicUrl'>, hostHeader: string | null): string | null {
  return config.publicUrl ?? listenerBase(hostHeader, 'as-given');
}

/** The base URL share links point at: the share listener when there is one, else the dashboard itself. */
export function shareBaseUrl(config: Pick<WebConfig, 'publicUrl' | 'sharePort' | 'shareUrl'>, hostHeader: string | null): string | null {
  if (config.sharePort === null) return dashboardBaseUrl(config, hostHeader);
  return config.shareUrl ?? listenerBase(hostHeader, config.sharePort);
}

export function shareUrl(base: string, shareId: string): string {
  return `${base}/r/${encodeURIComponent(shareId)}`;
}
