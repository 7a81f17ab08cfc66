import 'server-only';
// The lab balancer: one loopback HTTP server that routes by Host header and path the way the labels' routers say,
// then picks a server like Traefik's weighted round robin with its sticky cookie. Not Traefik, and says so on
// every response.
import http from 'node:http';
import type { TraefikRouter } from '@/lib/traefik/types';
import { forward } from './proxy';
import { pickServer, WeightedRoundRobin, type LabBackend } from './sticky';

export const LAB_BALANCER_HEADER = 'x-stickyscope-lab';
export const LAB_BALANCER_VALUE = 'balancer (stickyscope embedded demo lab, not Traefik)';

export type LabRoute = { router: TraefikRouter; backend: LabBackend };

function hostOf(header: string | undefined): string {
  const host = (header ?? '').trim().toLowerCase();
  const bracket = host.startsWith('[') ? host.indexOf(']') : -1;
  if (bracket !== -1) return host.slice(1, bracket);
  const colon = host.lastIndexOf(':');
  return colon === -1 ? host : host.slice(0, colon);
}

/** Traefik's default priority is the rule's length: the more specific rule wins. */
export function matchRoute(routes: readonly LabRoute[], host: string, path: string): LabRoute | null {
  let best: LabRoute | null = null;
  let bestPriority = -Infinity;
  for (const route of routes) {
    const { hosts, pathPrefixes, priority, rule } = route.router;
    if (hosts.length > 0 && !hosts.some((h) => h.toLowerCase() === host)) continue;
    if (pathPrefixes.length > 0 && !pathPrefixes.some((p) => path.startsWith(p))) continue;
    const p = priority ?? rule.length;
    if (p > bestPriority) {
      best = route;
      bestPriority = p;
    }
  }
  return best;
}

export function createLabBalancer(routes: readonly LabRoute[], agent: http.Agent): http.Server {
  const schedulers = new Map<string, WeightedRoundRobin>();
  return http.createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://lab').pathname;
    const route = matchRoute(routes, hostOf(req.headers.host), path);
    const marker = { [LAB_BALANCER_HEADER]: LAB_BALANCER_VALUE };
    if (!route) {
      res.writeHead(404, { 'content-type': 'text/plain', ...marker });
      res.end('404 page not found');
      return;
    }
    let wrr = schedulers.get(route.backend.name);
    if (!wrr) schedulers.set(route.backend.name, (wrr = new WeightedRoundRobin()));
    const pick = pickServer(route.backend, req.headers.cookie, wrr);
    if (!pick) {
      res.writeHead(503, { 'content-type': 'text/plain', ...marker });
      res.end('no available server');
      return;
    }
    forward(req, res, pick.server.url, agent, pick.setCookie ? { ...marker, 'set-cookie': [pick.setCookie] } : marker);
  });
}

/** An lbswarm-style virtual IP: one address that spreads requests over the replicas by itself. */
export function createVipServer(backend: LabBackend, agent: http.Agent): http.Server {
  const wrr = new WeightedRoundRobin();
  return http.createServer((req, res) => {
    const server = wrr.next(backend.servers);
    if (!server) {
      res.writeHead(503).end();
      return;
    }
    forward(req, res, server.url, agent);
  });
}
