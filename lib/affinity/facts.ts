// Facts about one service that several rules share.
import type { TopologyServer, TopologyService } from '@/lib/topology/types';
import type { StickyCookie, TraefikRouter } from '@/lib/traefik/types';
import { findLabel, isTrue, providerLabels, routerLabel, sameName, stripProvider } from './labels';
import type { Evidence } from './types';

export function ev(label: string, value: string | number | boolean | null): Evidence {
  return { label, value: value === null ? '(none)' : String(value) };
}

/** Routers that reach the app; Traefik's own `api@internal` dashboard router on the Traefik service does not. */
export function appRouters(service: TopologyService): TraefikRouter[] {
  return service.routers.filter((r) => !r.service.toLowerCase().endsWith('@internal'));
}

export function isRouted(service: TopologyService): boolean {
  return appRouters(service).length > 0;
}

/** Desired or running, whichever is larger: a service scaled to 3 with one task up still needs affinity. */
export function replicaCount(service: TopologyService): number {
  return Math.max(service.replicas.running, service.replicas.desired ?? 0);
}

export function describeRouter(router: TraefikRouter): string {
  const eps = router.entryPoints.length ? router.entryPoints.join(',') : '(all entrypoints)';
  return `${router.name} ${router.rule} on ${eps}, tls=${router.tls}`;
}

export function describeSticky(sticky: StickyCookie): string {
  return [
    `name=${sticky.name ?? '(generated)'}`,
    `secure=${sticky.secure}`,
    `httpOnly=${sticky.httpOnly}`,
    `sameSite=${sticky.sameSite ?? '(unset)'}`,
    `maxAge=${sticky.maxAge ?? '(unset)'}`,
  ].join(' ');
}

export function urlHost(url: string): string | null {
  try {
    return new URL(url).hostname.replace(/^\[|\]$/g, '');
  } catch {
    return null;
  }
}

function taskIps(service: TopologyService): Set<string> {
  const ips = new Set<string>();
  for (const task of service.tasks) {
    for (const a of task.addresses) ips.add(a.split('/')[0] ?? a);
    for (const n of task.networks) ips.add(n.ip);
  }
  return ips;
}

/**
 * A lone server for a multi-replica service that is no task's address: the service VIP or its DNS name,
 * which Swarm balances itself behind Traefik.
 */
export function vipServer(service: TopologyService): TopologyServer | null {
  const [only, ...rest] = service.servers;
  if (!only || rest.length > 0 || replicaCount(service) < 2 || only.taskId !== null) return null;
  const host = urlHost(only.url);
  return host !== null && !taskIps(service).has(host) ? only : null;
}

// An entrypoint may carry TLS for every router on it (`entryPoints.<name>.http.tls`), which the model
// does not show; names like these are taken as such rather than risk a false alarm.
const tlsEntrypointName = /secure|https|tls|ssl|443/i;

/** Why a router is reached over TLS (or redirected to it), or null when it is plain http. */
export function tlsReason(service: TopologyService, router: TraefikRouter): string | null {
  if (router.tls) return 'router tls=true';
  if (router.entryPoints.length > 0 && router.entryPoints.every((ep) => tlsEntrypointName.test(ep))) {
    return `entrypoint ${router.entryPoints.join(',')} named as TLS`;
  }
  const redirect = httpsRedirect(service, router);
  return redirect ? `middleware ${redirect} redirects to https` : null;
}

/** A label-defined redirectScheme=https middleware on the router, by name. */
function httpsRedirect(service: TopologyService, router: TraefikRouter): string | null {
  const chain = findLabel(service.labels, routerLabel(router.name, 'middlewares'));
  if (!chain) return null;
  for (const name of chain.value.split(',').map((m) => stripProvider(m.trim()))) {
    const scheme = findLabel(service.labels, `traefik.http.middlewares.${name}.redirectscheme.scheme`);
    if (scheme?.value.trim().toLowerCase() === 'https') return name;
  }
  return null;
}

/**
 * The sticky cookie of the Traefik service a router sends to, or undefined when unknown. The model keeps one
 * `sticky` per Swarm service, so with several Traefik services on one Swarm service only the labels tell them apart.
 */
export function stickyOfRouterTarget(service: TopologyService, router: TraefikRouter): StickyCookie | null | undefined {
  const several = new Set([...service.traefikServices, ...appRouters(service).map((r) => r.service)].map((n) => stripProvider(n).toLowerCase())).size > 1;
  if (!several) return service.sticky;
  return service.labelConfig.services.find((s) => sameName(s.name, router.service))?.sticky;
}

export function hasLabelHealthCheck(service: TopologyService): boolean {
  return Object.keys(service.labels).some((k) => /^traefik\.http\.services\.[^.]+\.loadbalancer\.healthcheck\./i.test(k));
}

/** Traefik v1 sticky labels (`traefik.backend.loadbalancer.sticky`, `…stickiness…`), which v2 and v3 ignore. */
export function v1StickyLabels(service: TopologyService): { key: string; value: string }[] {
  const fromModel = service.labelConfig.v1Labels.filter((l) => /stick/i.test(l.key));
  const fromLabels = Object.entries(service.labels)
    .filter(([k]) => /^traefik\.(?:[^.]+\.)?backend\.loadbalancer\.stick/i.test(k) && !/^traefik\.(http|tcp|udp)\./i.test(k))
    .map(([key, value]) => ({ key, value }));
  const seen = new Set<string>();
  return [...fromModel, ...fromLabels].filter((l) => !seen.has(l.key) && seen.add(l.key));
}

/** `…loadbalancer.sticky=true` with no `…sticky.cookie…` key for the same Traefik service: enables nothing. */
export function bareStickyLabels(service: TopologyService): { key: string; value: string; traefikService: string }[] {
  const keys = Object.keys(service.labels);
  const bare = Object.entries(service.labels).flatMap(([key, value]) => {
    const match = /^traefik\.http\.services\.([^.]+)\.loadbalancer\.sticky$/i.exec(key);
    const name = match?.[1];
    if (!name) return [];
    const prefix = `traefik.http.services.${name}.loadbalancer.sticky.cookie`.toLowerCase();
    return keys.some((k) => k.toLowerCase().startsWith(prefix)) ? [] : [{ key, value, traefikService: name }];
  });
  const extra = service.labelConfig.stickyWithoutCookie
    .filter((entry) => !bare.some((b) => b.key.toLowerCase() === entry.toLowerCase() || sameName(b.traefikService, entry)))
    .map((entry) => ({ key: entry, value: service.labels[entry] ?? 'true', traefikService: entry.split('.')[3] ?? entry }));
  return [...bare, ...extra];
}

export function usesLbswarm(service: TopologyService): boolean {
  return service.labelConfig.lbswarm || providerLabels(service, 'lbswarm').some((l) => isTrue(l.value));
}
