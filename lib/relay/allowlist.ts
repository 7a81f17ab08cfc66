// Which hosts the relay may fetch. Pure: the sources go in, a check function comes out.
//
// An entry is a hostname or IP, optionally with a port. Without a port it allows every port of that host. Hosts are
// compared by `hostKey` only, the same key the transports look address overrides up by, so no spelling (case, a
// trailing dot, IDNA, IPv4 shorthand, IPv6 forms) can pass the check as one host and connect as another.
import { parseCommaList } from '@/lib/comma-list';
import { isMetadataAddress } from '@/lib/net/address';
import { displayHost, hostKey, parseHostPort, type HostPort } from '@/lib/net/host-key';
import type { ResolveOverride } from '@/lib/probe/resolve';

export type TargetEntry = HostPort;

/** Where an allowed target came from, so a refusal or the UI can say why something is allowed. */
export type AllowSource = 'setting' | 'traefik-router' | 'lab';

export type Allowlist = {
  entries: (TargetEntry & { source: AllowSource })[];
};

export const ALLOWED_TARGETS_SETTING = 'STICKYSCOPE_ALLOWED_TARGETS';

/** Parses `host`, `host:port`, `[v6]` or `[v6]:port`; a message when it is none of those. */
export function parseTargetEntry(raw: string): TargetEntry | string {
  const parsed = parseHostPort(raw);
  if (parsed) return parsed;
  const withoutPort = raw.trim().replace(/:\d+$/, '');
  return withoutPort !== raw.trim() && parseHostPort(withoutPort) ? `"${raw}": the port must be 1–65535` : `"${raw}" is not a hostname, IP address or host:port`;
}

/** Splits a comma-separated setting; every bad entry is reported, none silently dropped. */
export function parseTargetList(raw: string): { entries: TargetEntry[]; issues: string[] } {
  return parseCommaList(raw, parseTargetEntry);
}

export type AllowlistSources = {
  /** From `STICKYSCOPE_ALLOWED_TARGETS`. */
  configured: readonly TargetEntry[];
  /** Hosts named by `Host(...)` in Traefik router rules. Routers accept any port on their entry points. */
  routerHosts: readonly string[];
  /** The demo lab's own hosts, when it runs. */
  lab?: readonly TargetEntry[];
};

export function buildAllowlist(sources: AllowlistSources): Allowlist {
  const entries: Allowlist['entries'] = [];
  const add = (host: string, port: number | null, source: AllowSource) => {
    // A router rule may hold something that is no host (a template, a typo): it allows nothing.
    const key = hostKey(host);
    if (key !== null) entries.push({ host: key, port, source });
  };
  for (const e of sources.configured) add(e.host, e.port, 'setting');
  for (const h of sources.routerHosts) add(h, null, 'traefik-router');
  for (const e of sources.lab ?? []) add(e.host, e.port, 'lab');
  return { entries };
}

function matching(list: Allowlist, host: string, port: number): Allowlist['entries'] {
  const key = hostKey(host);
  if (key === null) return [];
  return list.entries.filter((e) => e.host === key && (e.port === null || e.port === port));
}

export function isAllowed(list: Allowlist, host: string, port: number): boolean {
  return matching(list, host, port).length > 0;
}

/**
 * Link-local and cloud-metadata addresses hand out the host's credentials, so only an entry of the setting that
 * names the address itself opens one; a router rule or a name that happens to resolve there does not.
 */
export function mayReachAddress(list: Allowlist, address: string, port: number): boolean {
  if (!isMetadataAddress(address)) return true;
  return matching(list, address, port).some((e) => e.source === 'setting');
}

export type TargetCheck = { ok: true } | { ok: false; message: string };

const refuse = (message: string): TargetCheck => ({ ok: false, message });

function metadataRefusal(what: string, address: string): TargetCheck {
  const shown = displayHost(hostKey(address) ?? address);
  return refuse(
    `${what} ${shown} is a link-local or cloud metadata address, which the relay never reaches unless ${ALLOWED_TARGETS_SETTING} names that address itself (e.g. ${ALLOWED_TARGETS_SETTING}=${shown}).`,
  );
}

/**
 * Whether the relay may send to `host:port`, and through each address override. An override is its own
 * destination: it must be for an allowed target, and its address must be allowed too; otherwise any allowed name
 * could be pointed at any address.
 */
export function checkTarget(list: Allowlist, target: { host: string; port: number }, resolve: readonly ResolveOverride[] = []): TargetCheck {
  const shown = `${displayHost(hostKey(target.host) ?? target.host)}:${target.port}`;
  if (!isAllowed(list, target.host, target.port)) {
    return refuse(
      `${shown} is not an allowed target. The relay only fetches hosts from Traefik router rules and from ${ALLOWED_TARGETS_SETTING} (comma-separated hosts or host:port, e.g. ${ALLOWED_TARGETS_SETTING}=${shown}).`,
    );
  }
  if (!mayReachAddress(list, target.host, target.port)) return metadataRefusal('the target', target.host);
  for (const r of resolve) {
    const entry = `${r.host}:${r.port}:${r.address}`;
    if (!isAllowed(list, r.host, r.port)) {
      return refuse(
        `the address override ${entry} is for ${displayHost(r.host)}:${r.port}, which is not an allowed target. Overrides may only redirect hosts the relay is allowed to fetch: Traefik router hosts and ${ALLOWED_TARGETS_SETTING}.`,
      );
    }
    if (!isAllowed(list, r.address, r.port)) {
      return refuse(
        `the address override ${entry} points at ${displayHost(r.address)}, which is not an allowed target. Add ${displayHost(r.address)} (or ${displayHost(r.address)}:${r.port}) to ${ALLOWED_TARGETS_SETTING} to send through it.`,
      );
    }
    if (!mayReachAddress(list, r.address, r.port)) return metadataRefusal(`the address override ${entry} points at`, r.address);
  }
  return { ok: true };
}
