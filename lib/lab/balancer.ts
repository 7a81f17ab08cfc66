import 'server-only';
// The lab balancer: one loopback HTTP server that routes by Host header and path the way the labels' routers say,
// then picks a server like Traefik's weighted round robin with its sticky cookie. Not Traefik, and says so on
// every response.
import http from 'node:http';
import type { TraefikRouter } from '@/lib/traefik/types';
import type { Duplex } from 'node:stream';
import { forward, forwardUpgrade, LAB_BALANCER_HEADER, rejectUpgrade } from './proxy';
import { pickServer, WeightedRoundRobin, type LabBackend, type LabServer, type Pick as ServerPick } from './sticky';

export { LAB_BALANCER_HEADER };
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

/**
 * The lab balancer over the routes `routes()` returns at the moment a request arrives: each request reads them once,
 * so a label edit swapped in between requests applies to whole requests only. WebSocket upgrades are routed the same
 * way and then spliced through.
 */
export function createLabBalancer(routes: () => readonly LabRoute[], agent: http.Agent): http.Server {
  const schedulers = new Map<string, WeightedRoundRobin>();
  const marker = { [LAB_BALANCER_HEADER]: LAB_BALANCER_VALUE };
  const choose = (req: http.IncomingMessage): ServerPick | 404 | 503 => {
    const path = new URL(req.url ?? '/', 'http://lab').pathname;
    const route = matchRoute(routes(), hostOf(req.headers.host), path);
    if (!route) return 404;
    let wrr = schedulers.get(route.backend.name);
    if (!wrr) schedulers.set(route.backend.name, (wrr = new WeightedRoundRobin()));
    return pickServer(route.backend, req.headers.cookie, wrr) ?? 503;
  };
  const headersFor = (pick: ServerPick) => (pick.setCookie ? { ...marker, 'set-cookie': [pick.setCookie] } : marker);

  const server = http.createServer((req, res) => {
    const pick = choose(req);
    if (typeof pick === 'number') {
      res.writeHead(pick, { 'content-type': 'text/plain', ...marker });
      res.end(pick === 404 ? '404 page not found' : 'no available server');
      return;
    }
    forward(req, res, pick.server.url, agent, headersFor(pick));
  });
  server.on('upgrade', (req: http.IncomingMessage, socket: Duplex, head: Buffer) => {
    const pick = choose(req);
    if (typeof pick === 'number') rejectUpgrade(socket, pick, pick === 404 ? 'Not Found' : 'Service Unavailable', marker);
    else forwardUpgrade(req, socket, head, pick.server.url, headersFor(pick));
  });
  return server;
}

/** An lbswarm-style virtual IP: one address that spreads requests (and WebSocket upgrades) over the replicas by itself. */
export function createVipServer(servers: readonly LabServer[], agent: http.Agent): http.Server {
  const wrr = new WeightedRoundRobin();
  const server = http.createServer((req, res) => {
    const target = wrr.next(servers);
    if (!target) res.writeHead(503).end();
    else forward(req, res, target.url, agent);
  });
  server.on('upgrade', (req: http.IncomingMessage, socket: Duplex, head: Buffer) => {
    const target = wrr.next(servers);
    if (!target) rejectUpgrade(socket, 503, 'Service Unavailable');
    else forwardUpgrade(req, socket, head, target.url);
  });
  return server;
}
