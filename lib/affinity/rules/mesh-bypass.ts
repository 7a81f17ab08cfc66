import { docs } from '../docs';
import { ev, isRouted } from '../facts';
import { makeFinding } from '../finding';
import type { Rule } from '../types';

export const meshBypass: Rule = {
  id: 'mesh-bypass',
  severity: 'warning',
  title: 'Port also published through the routing mesh',
  why: 'The service publishes a port on every node through Swarm’s ingress mesh; clients that use it skip Traefik and its cookie and are balanced round robin by Swarm.',
  docs: docs.swarmIngress,
  evaluate(service) {
    if (!isRouted(service)) return [];
    const published = service.ports.filter((p) => p.publishMode === 'ingress' && p.publishedPort !== null);
    if (published.length === 0) return [];
    const rm = published.map((p) => `--publish-rm ${p.publishedPort}`).join(' ');
    return [
      makeFinding(meshBypass, service, {
        message: `${service.name} is reachable on port ${published.map((p) => p.publishedPort).join(', ')} of every node without Traefik, where no sticky cookie applies.`,
        evidence: published.map((p) => ev('published port', `${p.publishedPort} → ${p.targetPort}/${p.protocol} (ingress mode)`)),
        fix: {
          labelsToAdd: {},
          labelsToRemove: [],
          note: `Not a label change: drop the published port (docker service update ${rm} ${service.name}, or remove it from ports: in the stack file) and reach the service only through Traefik.`,
        },
      }),
    ];
  },
};
