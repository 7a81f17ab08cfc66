// Reading Traefik labels off a Swarm service. Traefik matches label keys case-insensitively; Docker stores them verbatim.
import type { TopologyService } from '@/lib/topology/types';
import type { RuleContext } from './types';

export type Label = { key: string; value: string };

export function findLabel(labels: Record<string, string>, key: string): Label | null {
  const wanted = key.toLowerCase();
  for (const [k, value] of Object.entries(labels)) {
    if (k.toLowerCase() === wanted) return { key: k, value };
  }
  return null;
}

export function findLabels(labels: Record<string, string>, pattern: RegExp): Label[] {
  return Object.entries(labels)
    .filter(([k]) => pattern.test(k))
    .map(([key, value]) => ({ key, value }));
}

/** Go's strconv.ParseBool, which Traefik's label decoder uses, on its true side. */
export function isTrue(value: string | undefined | null): boolean {
  return ['1', 't', 'T', 'true', 'TRUE', 'True'].includes(value ?? '');
}

/** `web@swarm` → `web`. */
export function stripProvider(name: string): string {
  const at = name.lastIndexOf('@');
  return at === -1 ? name : name.slice(0, at);
}

export function sameName(a: string, b: string): boolean {
  return stripProvider(a).toLowerCase() === stripProvider(b).toLowerCase();
}

/** Traefik's default name for a service's generated Traefik service: every run of non-alphanumerics becomes `-`. */
export function normalizeName(name: string): string {
  return name.split(/[^\p{L}\p{N}]+/u).filter(Boolean).join('-');
}

/** The service's key under `services:` in its stack file. */
export function stackFileName(service: { name: string; stack: string | null }): string {
  const prefix = service.stack ? `${service.stack}_` : '';
  return prefix && service.name.startsWith(prefix) ? service.name.slice(prefix.length) : service.name;
}

/** Traefik service names as spelled in the labels, in label order. */
export function labelServiceNames(service: TopologyService): string[] {
  const names: string[] = [];
  const add = (name: string) => {
    if (!names.some((n) => sameName(n, name))) names.push(stripProvider(name));
  };
  for (const key of Object.keys(service.labels)) {
    const match = /^traefik\.http\.services\.([^.]+)\./i.exec(key);
    if (match?.[1]) add(match[1]);
  }
  for (const s of service.labelConfig.services) add(s.name);
  return names;
}

/**
 * The Traefik service name a fix should use: the label-defined one the routers send to, else any label-defined one,
 * else what the API reports, else the name Traefik generates from the Swarm service name.
 */
export function primaryServiceName(service: TopologyService): string {
  const names = labelServiceNames(service);
  const routed = names.find((n) => service.routers.some((r) => sameName(r.service, n)));
  if (routed) return routed;
  if (names[0]) return names[0];
  const fromApi = service.traefikServices[0];
  return fromApi ? stripProvider(fromApi) : normalizeName(service.name);
}

export function serviceLabel(traefikService: string, suffix: string): string {
  return `traefik.http.services.${traefikService}.loadbalancer.${suffix}`;
}

export function routerLabel(router: string, suffix: string): string {
  return `traefik.http.routers.${stripProvider(router)}.${suffix}`;
}

export type ProviderPrefix = 'traefik.docker' | 'traefik.swarm';

/** Keep whichever provider prefix the service already uses; v3 reads Swarm through its own `swarm` provider. */
export function providerPrefix(service: TopologyService, context: RuleContext): ProviderPrefix {
  for (const key of Object.keys(service.labels)) {
    const match = /^traefik\.(docker|swarm)\./i.exec(key);
    if (match?.[1]) return match[1].toLowerCase() === 'swarm' ? 'traefik.swarm' : 'traefik.docker';
  }
  // Label-derived routers carry whatever provider name the reader chose; only the API's is evidence.
  const provider =
    service.traefikOrigin === 'api'
      ? service.routers.map((r) => r.provider?.toLowerCase()).find((p) => p === 'swarm' || p === 'docker')
      : undefined;
  if (provider) return provider === 'swarm' ? 'traefik.swarm' : 'traefik.docker';
  return context.traefikMajor !== null && context.traefikMajor >= 3 ? 'traefik.swarm' : 'traefik.docker';
}

/** `traefik.docker.<suffix>` and `traefik.swarm.<suffix>` as set on the service. */
export function providerLabels(service: TopologyService, suffix: string): Label[] {
  const wanted = new Set([`traefik.docker.${suffix}`, `traefik.swarm.${suffix}`]);
  return findLabels(service.labels, /^traefik\.(docker|swarm)\./i).filter((l) => wanted.has(l.key.toLowerCase()));
}

/** The Traefik service whose labels carry the sticky cookie settings, else the primary one. */
export function stickyServiceName(service: TopologyService): string {
  for (const key of Object.keys(service.labels)) {
    const match = /^traefik\.http\.services\.([^.]+)\.loadbalancer\.sticky\.cookie(\.|$)/i.exec(key);
    if (match?.[1]) return match[1];
  }
  return primaryServiceName(service);
}

/** Label keys of one sticky cookie attribute (`secure`, `samesite`...) on any Traefik service of this Swarm service. */
export function stickyAttributeLabels(service: TopologyService, attribute: string): Label[] {
  const pattern = new RegExp(`^traefik\\.http\\.services\\.[^.]+\\.loadbalancer\\.sticky\\.cookie\\.${attribute}$`, 'i');
  return findLabels(service.labels, pattern);
}
