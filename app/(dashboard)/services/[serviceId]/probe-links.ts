// The Probe page links a service page offers: a probe of its first routed URL (protocol auto: the page decides), and
// an engine.io probe when the service serves socket.io (a router for a socket.io path, or a demo lab service whose
// replicas are the lab's own Node app, which serves it).
import { defaultProbeForm } from '@/lib/probe/form';
import type { TraefikRouter } from '@/lib/traefik/types';
import type { LabSourceStatus, TopologyService } from '@/lib/topology/types';
import { probeHref } from '../../probes/search-params';

export type LabBalancer = NonNullable<LabSourceStatus['balancer']>;

export type ServiceProbeLink = { name: string; href: string; title: string };

/**
 * The URL a user would open through `router`: its first host, https when it terminates TLS. A lab service is reached
 * on the lab balancer's port, through an override to its address.
 */
function routerTarget(router: TraefikRouter, path: string, lab?: LabBalancer): { target: string; resolve: string } | null {
  const host = router.hosts[0];
  if (!host) return null;
  const authority = lab ? `${host}:${lab.port}` : host;
  return {
    target: `${router.tls ? 'https' : 'http'}://${authority}${path.startsWith('/') ? path : `/${path}`}`,
    resolve: lab ? `${host}:${lab.port}:${lab.address}` : '',
  };
}

/** The engine.io path a router sends to this service (`/socket.io/`, `/app/socket.io/`), if one does. */
function socketIoRoute(service: TopologyService): { router: TraefikRouter; path: string } | null {
  for (const router of service.routers) {
    const prefix = router.pathPrefixes.find((p) => /(^|\/)socket\.io\/?$/.test(p));
    if (prefix && router.hosts.length) return { router, path: prefix.endsWith('/') ? prefix : `${prefix}/` };
  }
  // Lab replicas that emulate another app (Shiny) serve only that app's protocol.
  const router = service.lab && !service.lab.emulation ? service.routers.find((r) => r.hosts.length) : undefined;
  return router ? { router, path: defaultProbeForm.eioPath } : null;
}

export function serviceProbeLinks(service: TopologyService, lab?: LabBalancer): ServiceProbeLink[] {
  const common = { serviceId: service.id, balancerCookie: service.sticky?.cookieName ?? '' };
  const router = service.routers.find((r) => r.hosts.length > 0);
  const plain = router ? routerTarget(router, router.pathPrefixes[0] ?? '/', lab) : null;
  const links: ServiceProbeLink[] = [
    {
      name: 'Probe this service',
      href: probeHref({ ...common, ...plain }),
      title: plain ? `Probe ${plain.target}` : 'No router host to prefill: enter the URL on the Probe page',
    },
  ];
  const socketIo = socketIoRoute(service);
  const eio = socketIo ? routerTarget(socketIo.router, '/', lab) : null;
  if (socketIo && eio) {
    links.push({
      name: 'Probe socket.io',
      href: probeHref({ ...common, ...eio, protocol: 'engineio', eioPath: socketIo.path }),
      title: `engine.io probe of ${eio.target} at ${socketIo.path}`,
    });
  }
  return links;
}
