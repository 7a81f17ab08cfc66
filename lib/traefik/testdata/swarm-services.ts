// Hand-written `GET /api/http/services` answer from a Traefik v3 Swarm provider: a servers load balancer with a
// sticky cookie and health check, which no upstream fixture combines (see ../../../../shared/fixtures/traefik/README.md).
// Field names and nesting follow the real payloads in services.json and anonymized-dynamic-config.json.
export const swarmStickyServices = [
  {
    loadBalancer: {
      sticky: {
        cookie: { name: 'web_sticky', secure: true, httpOnly: true, sameSite: 'lax', maxAge: 3600, path: '/', domain: 'app.example' },
      },
      servers: [{ url: 'http://10.0.1.5:80' }, { url: 'http://10.0.1.6:80' }, { url: 'http://10.0.1.7:80' }],
      healthCheck: { path: '/health', interval: '10s', timeout: '3s' },
      strategy: 'wrr',
      passHostHeader: true,
      responseForwarding: { flushInterval: '100ms' },
    },
    name: 'web@swarm',
    provider: 'swarm',
    serverStatus: { 'http://10.0.1.5:80': 'UP', 'http://10.0.1.6:80': 'DOWN', 'http://10.0.1.7:80': 'UP' },
    status: 'enabled',
    type: 'loadbalancer',
    usedBy: ['web@swarm'],
  },
  {
    // Sticky requested with an empty cookie object: Traefik generates the cookie name.
    loadBalancer: {
      sticky: { cookie: {} },
      servers: [{ url: 'http://10.0.2.9:8080' }],
      passHostHeader: true,
    },
    name: 'api@swarm',
    provider: 'swarm',
    serverStatus: { 'http://10.0.2.9:8080': 'UP' },
    status: 'enabled',
    type: 'loadbalancer',
    usedBy: ['api@swarm'],
  },
  {
    // v3 highestRandomWeight service: no cookie stickiness at all.
    highestRandomWeight: { services: [{ name: 'web', weight: 2 }, { name: 'api@swarm', weight: 1 }] },
    name: 'hrw@swarm',
    provider: 'swarm',
    status: 'enabled',
    usedBy: [],
  },
];
