// Which hosts the relay may fetch. Pure: the sources go in, a check function comes out.
//
// An entry is a hostname or IP, optionally with a port. Without a port it allows every port of that host. Hosts
// compare case-insensitively, without a trailing dot, IPv6 without brackets.
import type { ResolveOverride } from '@/lib/probe/spec';

export type TargetEntry = { host: string; port: number | null };

/** Where an allowed target came from, so a refusal or the UI can say why something is allowed. */
export type AllowSource = 'setting' | 'traefik-router' | 'lab';

export type Allowlist = {
  entries: (TargetEntry & { source: AllowSource })[];
};

export const ALLOWED_TARGETS_SETTING = 'STICKYSCOPE_ALLOWED_TARGETS';

export function normalizeHost(host: string): string {
  let h = host.trim().toLowerCase();
  if (h.startsWith('[') && h.endsWith(']')) h = h.slice(1, -1);
  if (h.endsWith('.')) h = h.slice(0, -1);
  return h;
}

const HOST_LABEL = /^[a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?$/;

function validHost(host: string): boolean {
  if (host.includes(':')) {
    try {
      new URL(`http://[${host}]/`);
      return true;
    } catch {
      return false;
    }
  }
  return host.length > 0 && host.length <= 253 && host.split('.').every((label) => HOST_LABEL.test(label));
}

/** Parses `host`, `host:port`, `[v6]` or `[v6]:port`; a message when it is none of those. */
export function parseTargetEntry(raw: string): TargetEntry | string {
  const text = raw.trim();
  let host = text;
  let portText: string | null = null;
  const bracketed = /^\[([^\]]+)\](?::(\d+))?$/.exec(text);
  if (bracketed) {
    host = bracketed[1]!;
    portText = bracketed[2] ?? null;
  } else if ((text.match(/:/g) ?? []).length === 1) {
    const i = text.indexOf(':');
    host = text.slice(0, i);
    portText = text.slice(i + 1);
  }
  host = normalizeHost(host);
  if (!validHost(host) || (portText !== null && !/^\d+$/.test(portText))) return `"${raw}" is not a hostname, IP address or host:port`;
  if (portText === null) return { host, port: null };
  if (!/^\d{1,5}$/.test(portText) || Number(portText) < 1 || Number(portText) > 65535) return `"${raw}": the port must be 1–65535`;
  return { host, port: Number(portText) };
}

/** Splits a comma-separated setting; every bad entry is reported, none silently dropped. */
export function parseTargetList(raw: string): { entries: TargetEntry[]; issues: string[] } {
  const entries: TargetEntry[] = [];
  const issues: string[] = [];
  for (const part of raw.split(',')) {
    if (!part.trim()) continue;
    const r = parseTargetEntry(part);
    if (typeof r === 'string') issues.push(r);
    else entries.push(r);
  }
  return { entries, issues };
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
  for (const e of sources.configured) entries.push({ host: normalizeHost(e.host), port: e.port, source: 'setting' });
  for (const h of sources.routerHosts) entries.push({ host: normalizeHost(h), port: null, source: 'traefik-router' });
  for (const e of sources.lab ?? []) entries.push({ host: normalizeHost(e.host), port: e.port, source: 'lab' });
  return { entries };
}

export function isAllowed(list: Allowlist, host: string, port: number): boolean {
  const h = normalizeHost(host);
  return list.entries.some((e) => e.host === h && (e.port === null || e.port === port));
}

export type TargetCheck = { ok: true } | { ok: false; message: string };

/**
 * Whether the relay may send to `host:port`, and through each address override. An override is its own
 * destination, so its address must be allowed too; otherwise any allowed name could be pointed at any address.
 */
export function checkTarget(list: Allowlist, target: { host: string; port: number }, resolve: readonly ResolveOverride[] = []): TargetCheck {
  if (!isAllowed(list, target.host, target.port)) {
    return {
      ok: false,
      message: `${displayHost(target.host)}:${target.port} is not an allowed target. The relay only fetches hosts from Traefik router rules and from ${ALLOWED_TARGETS_SETTING} (comma-separated hosts or host:port, e.g. ${ALLOWED_TARGETS_SETTING}=${displayHost(target.host)}:${target.port}).`,
    };
  }
  for (const r of resolve) {
    if (r.host !== normalizeHost(target.host) || r.port !== target.port) continue;
    if (!isAllowed(list, r.address, r.port)) {
      return {
        ok: false,
        message: `the address override ${r.host}:${r.port}:${r.address} points at ${displayHost(r.address)}, which is not an allowed target. Add ${displayHost(r.address)} (or ${displayHost(r.address)}:${r.port}) to ${ALLOWED_TARGETS_SETTING} to send through it.`,
      };
    }
  }
  return { ok: true };
}

function displayHost(host: string): string {
  return host.includes(':') ? `[${host}]` : host;
}
