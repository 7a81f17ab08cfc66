// The demo lab's scenarios: one lab service each, described by the traefik-style labels a real Swarm service would
// carry. The lab balancer reads these labels with the same parser as the topology, so behaviour follows the labels.
// `loadbalancer.server.port` is kept for realism; the lab's replicas listen on random loopback ports instead.

export const LAB_DOMAIN = 'lab.test';

export const labScenarioNames = [
  'sticky-ok',
  'no-sticky',
  'secure-cookie-over-http',
  'lbswarm',
  'split-routers',
  'samesite-none-insecure',
  'scaled-away',
  'shiny-dt',
] as const;

export type LabScenarioName = (typeof labScenarioNames)[number];

/**
 * What a scenario's replicas run: `node` a small app that names itself, keeps an in-memory session and serves
 * socket.io; `shiny-emulation` the part of Shiny's protocol a probe uses, emulated (./shiny-emulation.ts).
 */
export const labReplicaApps = ['node', 'shiny-emulation'] as const;
export type LabReplicaApp = (typeof labReplicaApps)[number];

export type LabScenario = {
  name: LabScenarioName;
  /** What a probe of this scenario shows. */
  description: string;
  /** What its replicas run; `node` when absent. */
  app?: LabReplicaApp;
  /** Said wherever the scenario is shown, when its replicas emulate another system rather than run it. */
  emulation?: string;
  replicas: number;
  labels: Record<string, string>;
  /**
   * The lab removes a replica once it has answered this many requests and starts a replacement on a new address,
   * as Swarm does when a task is rescheduled: whoever was pinned to it loses the replica and its session.
   */
  replaceAfterRequests?: number;
};

export function labHost(name: string): string {
  return `${name}.${LAB_DOMAIN}`;
}

function routed(name: string, extra: Record<string, string>): Record<string, string> {
  return {
    'traefik.enable': 'true',
    [`traefik.http.routers.${name}.rule`]: `Host(\`${labHost(name)}\`)`,
    [`traefik.http.routers.${name}.entrypoints`]: 'web',
    [`traefik.http.services.${name}.loadbalancer.server.port`]: '8080',
    ...extra,
  };
}

const cookie = (name: string, fields: Record<string, string>) =>
  Object.fromEntries(
    Object.entries({ '': 'true', ...fields }).map(([k, v]) => [`traefik.http.services.${name}.loadbalancer.sticky.cookie${k ? `.${k}` : ''}`, v]),
  );

export const labScenarios: readonly LabScenario[] = [
  {
    name: 'sticky-ok',
    description: 'Sticky cookie over plain http, as it should be: every request of a user lands on one replica.',
    replicas: 3,
    labels: routed('sticky-ok', cookie('sticky-ok', { httponly: 'true', samesite: 'lax' })),
  },
  {
    name: 'no-sticky',
    description: 'Three replicas and no sticky cookie: requests rotate over the replicas.',
    replicas: 3,
    labels: routed('no-sticky', {}),
  },
  {
    name: 'secure-cookie-over-http',
    description: 'The sticky cookie is Secure but the router is plain http, so browsers never send it back.',
    replicas: 3,
    labels: routed('secure-cookie-over-http', cookie('secure-cookie-over-http', { secure: 'true', httponly: 'true' })),
  },
  {
    name: 'lbswarm',
    description: 'lbswarm=true: the balancer sends to one VIP-like address that round-robins again behind the cookie.',
    replicas: 3,
    labels: routed('lbswarm', { ...cookie('lbswarm', { httponly: 'true' }), 'traefik.swarm.lbswarm': 'true' }),
  },
  {
    name: 'split-routers',
    description: '`/` is sticky, but `/socket.io` goes through a second service without the cookie.',
    replicas: 3,
    labels: {
      ...routed('split-routers', cookie('split-routers', { httponly: 'true' })),
      'traefik.http.routers.split-routers-ws.rule': `Host(\`${labHost('split-routers')}\`) && PathPrefix(\`/socket.io\`)`,
      'traefik.http.routers.split-routers-ws.entrypoints': 'web',
      'traefik.http.routers.split-routers-ws.service': 'split-routers-ws',
      'traefik.http.routers.split-routers.service': 'split-routers',
      'traefik.http.services.split-routers-ws.loadbalancer.server.port': '8080',
    },
  },
  {
    name: 'samesite-none-insecure',
    description: 'SameSite=None without Secure: Chromium rejects the sticky cookie.',
    replicas: 3,
    labels: routed('samesite-none-insecure', cookie('samesite-none-insecure', { samesite: 'none', secure: 'false' })),
  },
  {
    name: 'scaled-away',
    description: 'A correct sticky setup, but the pinned replica goes away after 10 requests: the user is re-pinned and loses the session.',
    replicas: 3,
    labels: routed('scaled-away', cookie('scaled-away', { httponly: 'true', samesite: 'lax' })),
    replaceAfterRequests: 10,
  },
  {
    name: 'shiny-dt',
    description:
      "A Shiny app with a server-side DT table behind a Secure sticky cookie over plain http: browsers never send the cookie back, so the table's Ajax requests reach replicas that do not hold the session and DT tables fail at random ('DataTables warning: Ajax error').",
    app: 'shiny-emulation',
    emulation: "Its replicas emulate the part of Shiny's protocol the probe uses (session over websocket/, DT's dataobj route); they are not R Shiny.",
    replicas: 3,
    labels: routed('shiny-dt', cookie('shiny-dt', { secure: 'true', httponly: 'true', samesite: 'lax' })),
  },
];
