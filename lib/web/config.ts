// Where the dashboard listens and is reached, as lib/env.ts validates it. Pure.
import type { Cidr } from '@/lib/net/address';
import type { HostPort } from '@/lib/net/host-key';
import { canonicalBaseUrl } from './site';

export type WebConfig = {
  /** `PORT`: the main listener (pages, API, relay). */
  port: number;
  /** `STICKYSCOPE_PUBLIC_URL`: the dashboard's base URL behind a proxy, canonical; null when unset. */
  publicUrl: string | null;
  /** `STICKYSCOPE_ALLOWED_HOSTS`: further `host` or `host:port` names the main listener answers to. */
  allowedHosts: HostPort[];
  /** `STICKYSCOPE_SHARE_PORT`: a second listener serving only share pages; null when unset. */
  sharePort: number | null;
  /** `STICKYSCOPE_SHARE_URL`: the share listener's base URL behind a proxy; null when unset. */
  shareUrl: string | null;
  /** `STICKYSCOPE_TRUSTED_PROXIES`: proxies whose X-Forwarded-For entries are believed. */
  trustedProxies: Cidr[];
};

/** A base URL setting's canonical form, or the message saying what it must look like. */
export function parseBaseUrlSetting(raw: string, example: string): { url: string } | string {
  const url = canonicalBaseUrl(raw);
  return url === null ? `must be a base URL such as ${example}: http or https, a host and an optional port, no path, query or credentials` : { url };
}
