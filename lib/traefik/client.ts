import 'server-only';
// Reads a live Traefik (v2 or v3) through its API and returns our snapshot.
import type { TraefikConnection } from '@/lib/config-types';
import { SourceError } from '@/lib/errors';
import { fetchJson } from './fetch-json';
import { mapEntryPoints, mapOverview, mapRouters, mapServices, mapVersion, type Mapped } from './map';
import type { TraefikSnapshot } from './types';

export const PER_PAGE = 100;
/** 50 pages of 100 is far beyond any real Traefik; more means a loop or a hostile server. */
export const MAX_PAGES = 50;

function endpoint(conn: TraefikConnection, path: string, query?: Record<string, string>): string {
  const url = new URL(conn.url.replace(/\/+$/, '') + path);
  for (const [key, value] of Object.entries(query ?? {})) url.searchParams.set(key, value);
  return url.toString();
}

function unwrap<T>(mapped: Mapped<T>, url: string): { value: T; warnings: string[] } {
  if (!mapped.ok) throw new SourceError('bad-response', `Traefik API at ${url} answered something unusable: ${mapped.reason}.`);
  return { value: mapped.value, warnings: mapped.warnings };
}

/** Follows `X-Next-Page` (Traefik's paging header) until it is absent, up to MAX_PAGES. */
async function readAllPages<T>(conn: TraefikConnection, path: string, map: (json: unknown) => Mapped<T[]>) {
  const items: T[] = [];
  const warnings: string[] = [];
  let page = 1;
  for (let fetched = 0; fetched < MAX_PAGES; fetched++) {
    const url = endpoint(conn, path, { page: String(page), per_page: String(PER_PAGE) });
    const { json, headers } = await fetchJson(url, conn);
    const mapped = unwrap(map(json), url);
    items.push(...mapped.value);
    warnings.push(...mapped.warnings);
    const next = Number(headers.get('x-next-page'));
    if (!headers.get('x-next-page') || !Number.isInteger(next) || next <= page) return { items, warnings };
    page = next;
  }
  throw new SourceError('too-large', `Traefik API ${path} has more than ${MAX_PAGES} pages of ${PER_PAGE}; stopped reading.`);
}

/** `/api/overview` only adds the provider list; an older or locked-down Traefik may not serve it. */
async function readProviders(conn: TraefikConnection): Promise<string[] | undefined> {
  try {
    const { json } = await fetchJson(endpoint(conn, '/api/overview'), conn);
    const mapped = mapOverview(json);
    return mapped.ok ? mapped.value.providers : undefined;
  } catch {
    return undefined;
  }
}

export async function readTraefikApi(conn: TraefikConnection): Promise<TraefikSnapshot> {
  const versionUrl = endpoint(conn, '/api/version');
  const { json: versionJson } = await fetchJson(versionUrl, conn);
  const version = unwrap(mapVersion(versionJson), versionUrl).value;

  const [providers, entryPoints, routers, services] = await Promise.all([
    readProviders(conn),
    readAllPages(conn, '/api/entrypoints', mapEntryPoints),
    readAllPages(conn, '/api/http/routers', mapRouters),
    readAllPages(conn, '/api/http/services', mapServices),
  ]);

  const warnings = [...entryPoints.warnings, ...routers.warnings, ...services.warnings];
  return {
    origin: 'api',
    version,
    entryPoints: entryPoints.items,
    routers: routers.items,
    services: services.items,
    ...(providers ? { providers } : {}),
    ...(warnings.length ? { warnings } : {}),
  };
}
