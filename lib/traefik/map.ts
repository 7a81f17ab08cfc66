// Reshapes Traefik API JSON (v2 and v3) into our types. Pure: parsed JSON in, a result out, never throws.
import type { z } from 'zod';
import { parseRuleTargets } from './rule';
import {
  rawChildSchema,
  rawDataSchema,
  rawEntryPointSchema,
  rawOverviewSchema,
  rawRouterSchema,
  rawServerSchema,
  rawServiceSchema,
  rawVersionSchema,
  type RawCookie,
  type RawRouter,
  type RawService,
} from './schema';
import type { StickyCookie, TraefikEntryPoint, TraefikRouter, TraefikServer, TraefikService } from './types';

/** A mapping outcome: usable data plus notes on what was skipped, or why nothing was usable. */
export type Mapped<T> = { ok: true; value: T; warnings: string[] } | { ok: false; reason: string };

function describe(json: unknown): string {
  if (json === null) return 'null';
  if (Array.isArray(json)) return 'a list';
  return typeof json === 'object' ? 'an object' : `a ${typeof json}`;
}

function strings(list: unknown[] | undefined): string[] {
  return (list ?? []).filter((item): item is string => typeof item === 'string' && item.length > 0);
}

/** `web@swarm` → `swarm`; null when unqualified. */
export function providerOf(name: string): string | null {
  const at = name.lastIndexOf('@');
  return at === -1 || at === name.length - 1 ? null : name.slice(at + 1);
}

/** Traefik resolves an unqualified reference within the referring object's provider. */
export function qualifyName(name: string, provider: string | null): string {
  if (name.includes('@') || !provider) return name;
  return `${name}@${provider}`;
}

function toPriority(raw: RawRouter): number | null {
  if (raw.priorityStr !== undefined) {
    const value = Number(raw.priorityStr);
    return Number.isFinite(value) ? value : null;
  }
  return raw.priority ?? null;
}

function toRouter(raw: RawRouter, name: string): TraefikRouter {
  const provider = raw.provider ?? providerOf(name);
  const rule = raw.rule ?? '';
  const { hosts, pathPrefixes } = parseRuleTargets(rule);
  return {
    name: qualifyName(name, provider),
    provider,
    rule,
    hosts,
    pathPrefixes,
    entryPoints: strings(raw.entryPoints),
    tls: raw.tls !== undefined && raw.tls !== null && raw.tls !== false,
    service: raw.service ? qualifyName(raw.service, provider) : '',
    priority: toPriority(raw),
    status: raw.status ?? null,
  };
}

export function toStickyCookie(raw: RawCookie): StickyCookie {
  return {
    name: raw.name ? raw.name : null,
    secure: raw.secure ?? false,
    httpOnly: raw.httpOnly ?? false,
    sameSite: raw.sameSite ? raw.sameSite : null,
    maxAge: raw.maxAge ?? null,
    path: raw.path ? raw.path : null,
    domain: raw.domain ? raw.domain : null,
  };
}

function toServerStatus(value: unknown): TraefikServer['status'] {
  if (typeof value !== 'string') return null;
  const upper = value.toUpperCase();
  return upper === 'UP' || upper === 'DOWN' ? upper : null;
}

function withoutTrailingSlash(url: string): string {
  return url.endsWith('/') ? url.slice(0, -1) : url;
}

/** Servers from `loadBalancer.servers`, with `serverStatus` (keyed by the parsed URL) merged in. */
function toServers(raw: RawService): TraefikServer[] {
  const statuses = raw.serverStatus ?? {};
  const statusFor = (url: string): TraefikServer['status'] => {
    if (url in statuses) return toServerStatus(statuses[url]);
    const loose = withoutTrailingSlash(url);
    const key = Object.keys(statuses).find((candidate) => withoutTrailingSlash(candidate) === loose);
    return key === undefined ? null : toServerStatus(statuses[key]);
  };
  const servers: TraefikServer[] = [];
  for (const item of raw.loadBalancer?.servers ?? []) {
    const parsed = rawServerSchema.safeParse(item);
    if (!parsed.success) continue;
    servers.push({ url: parsed.data.url, status: statusFor(parsed.data.url), weight: parsed.data.weight ?? null });
  }
  // Some answers carry only the status map; it still names every server Traefik balances to.
  if (servers.length === 0) {
    for (const [url, status] of Object.entries(statuses)) {
      servers.push({ url, status: toServerStatus(status), weight: null });
    }
  }
  return servers;
}

const KINDS: Record<string, TraefikService['kind']> = {
  loadbalancer: 'loadbalancer',
  weighted: 'weighted',
  mirroring: 'mirroring',
  failover: 'failover',
};

function toKind(raw: RawService): TraefikService['kind'] {
  const reported = raw.type ? KINDS[raw.type.toLowerCase()] : undefined;
  if (reported) return reported;
  if (raw.loadBalancer) return 'loadbalancer';
  if (raw.weighted) return 'weighted';
  if (raw.mirroring) return 'mirroring';
  if (raw.failover) return 'failover';
  return 'unknown';
}

function toChildren(raw: RawService, provider: string | null): TraefikService['children'] {
  const children: TraefikService['children'] = [];
  const add = (name: string | undefined, weight: number | null) => {
    if (name) children.push({ name: qualifyName(name, provider), weight });
  };
  for (const item of [...(raw.weighted?.services ?? []), ...(raw.highestRandomWeight?.services ?? [])]) {
    const parsed = rawChildSchema.safeParse(item);
    if (parsed.success) add(parsed.data.name, parsed.data.weight ?? null);
  }
  if (raw.mirroring) {
    add(raw.mirroring.service, null);
    for (const item of raw.mirroring.mirrors ?? []) {
      const parsed = rawChildSchema.safeParse(item);
      if (parsed.success) add(parsed.data.name, null);
    }
  }
  if (raw.failover) {
    add(raw.failover.service, null);
    add(raw.failover.fallback, null);
  }
  return children;
}

function toService(raw: RawService, name: string): TraefikService {
  const provider = raw.provider ?? providerOf(name);
  const cookie = raw.loadBalancer?.sticky?.cookie ?? raw.weighted?.sticky?.cookie;
  const strategy = raw.highestRandomWeight ? 'hrw' : (raw.loadBalancer?.strategy ?? null);
  return {
    name: qualifyName(name, provider),
    provider,
    kind: toKind(raw),
    servers: toServers(raw),
    sticky: cookie ? toStickyCookie(cookie) : null,
    hasHealthCheck: [raw.loadBalancer, raw.weighted, raw.mirroring, raw.failover, raw.highestRandomWeight].some(
      (part) => part?.healthCheck !== undefined && part.healthCheck !== null,
    ),
    children: toChildren(raw, provider),
    usedBy: strings(raw.usedBy).map((router) => qualifyName(router, provider)),
    status: raw.status ?? null,
    strategy,
  };
}

/** Maps each element of a list answer, skipping (with a warning) elements without a usable name. */
function mapList<Raw extends { name?: string | undefined }, Out>(
  json: unknown,
  what: string,
  schema: z.ZodType<Raw>,
  convert: (raw: Raw, name: string) => Out,
): Mapped<Out[]> {
  if (!Array.isArray(json)) return { ok: false, reason: `expected a list of ${what}, got ${describe(json)}` };
  const value: Out[] = [];
  const warnings: string[] = [];
  json.forEach((item, index) => {
    const parsed = schema.safeParse(item);
    if (!parsed.success || !parsed.data.name) {
      warnings.push(`Skipped ${what} entry #${index + 1}: it has no name.`);
      return;
    }
    value.push(convert(parsed.data, parsed.data.name));
  });
  return { ok: true, value, warnings };
}

function mapOne<Raw extends { name?: string | undefined }, Out>(
  json: unknown,
  what: string,
  schema: z.ZodType<Raw>,
  convert: (raw: Raw, name: string) => Out,
): Mapped<Out> {
  const parsed = schema.safeParse(json);
  if (!parsed.success) return { ok: false, reason: `expected a ${what} object, got ${describe(json)}` };
  if (!parsed.data.name) return { ok: false, reason: `the ${what} has no name` };
  return { ok: true, value: convert(parsed.data, parsed.data.name), warnings: [] };
}

/** `GET /api/http/routers` (one page). */
export function mapRouters(json: unknown): Mapped<TraefikRouter[]> {
  return mapList(json, 'router', rawRouterSchema, toRouter);
}

/** `GET /api/http/routers/{name}`. */
export function mapRouter(json: unknown): Mapped<TraefikRouter> {
  return mapOne(json, 'router', rawRouterSchema, toRouter);
}

/** `GET /api/http/services` (one page). */
export function mapServices(json: unknown): Mapped<TraefikService[]> {
  return mapList(json, 'service', rawServiceSchema, toService);
}

/** `GET /api/http/services/{name}`. */
export function mapService(json: unknown): Mapped<TraefikService> {
  return mapOne(json, 'service', rawServiceSchema, toService);
}

function toEntryPoint(raw: z.infer<typeof rawEntryPointSchema>): TraefikEntryPoint {
  return { name: raw.name, address: raw.address ? raw.address : null };
}

/** `GET /api/entrypoints` (one page). */
export function mapEntryPoints(json: unknown): Mapped<TraefikEntryPoint[]> {
  return mapList(json, 'entry point', rawEntryPointSchema, toEntryPoint);
}

/** `GET /api/entrypoints/{name}`. */
export function mapEntryPoint(json: unknown): Mapped<TraefikEntryPoint> {
  return mapOne(json, 'entry point', rawEntryPointSchema, toEntryPoint);
}

/** `GET /api/version`: the `Version` string, or null when the object lacks it. */
export function mapVersion(json: unknown): Mapped<string | null> {
  const parsed = rawVersionSchema.safeParse(json);
  if (!parsed.success) return { ok: false, reason: `expected a version object, got ${describe(json)}` };
  return { ok: true, value: parsed.data.Version ? parsed.data.Version : null, warnings: [] };
}

/** `GET /api/overview`: the enabled provider names (absent before Traefik lists them). */
export function mapOverview(json: unknown): Mapped<{ providers: string[] }> {
  const parsed = rawOverviewSchema.safeParse(json);
  if (!parsed.success) return { ok: false, reason: `expected an overview object, got ${describe(json)}` };
  return { ok: true, value: { providers: strings(parsed.data.providers) }, warnings: [] };
}

/** `GET /api/rawdata`: HTTP routers and services keyed by qualified name. */
export function mapRawData(json: unknown): Mapped<{ routers: TraefikRouter[]; services: TraefikService[] }> {
  const parsed = rawDataSchema.safeParse(json);
  if (!parsed.success) return { ok: false, reason: `expected a raw data object, got ${describe(json)}` };
  const warnings: string[] = [];
  const routers: TraefikRouter[] = [];
  const services: TraefikService[] = [];
  for (const [name, item] of Object.entries(parsed.data.routers ?? {})) {
    const router = rawRouterSchema.safeParse(item);
    if (router.success) routers.push(toRouter(router.data, name));
    else warnings.push(`Skipped router ${name}: not an object.`);
  }
  for (const [name, item] of Object.entries(parsed.data.services ?? {})) {
    const service = rawServiceSchema.safeParse(item);
    if (service.success) services.push(toService(service.data, name));
    else warnings.push(`Skipped service ${name}: not an object.`);
  }
  return { ok: true, value: { routers, services }, warnings };
}
