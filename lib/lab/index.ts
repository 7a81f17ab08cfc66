import 'server-only';
// The demo lab of this server process: started on first use, once, and stopped when the process exits.
import type { Topology } from '@/lib/topology/types';
import { startLab, type Lab } from './lab';
import { mapLabServices } from './topology';

export { LAB_BALANCER_HEADER } from './balancer';
export { labHost, labScenarios } from './scenarios';
export type { Lab } from './lab';

const globalForLab = globalThis as unknown as { stickyscopeLab?: Promise<Lab> };

export function getLab(): Promise<Lab> {
  globalForLab.stickyscopeLab ??= startLab().then(
    (lab) => {
      // In-process servers die with the process anyway; closing them first ends keep-alive clients cleanly.
      process.once('exit', () => void lab.stop());
      return lab;
    },
    (error: unknown) => {
      globalForLab.stickyscopeLab = undefined;
      throw error;
    },
  );
  return globalForLab.stickyscopeLab;
}

/** The lab as a topology source, in the same model as a real cluster. */
export function toLabTopology(lab: Lab, ms: number, now: Date = new Date()): Topology {
  return {
    generatedAt: now.toISOString(),
    sources: {
      docker: { status: 'off', ms: 0, message: 'Showing the embedded demo lab instead of a Swarm. Set DOCKER_HOST to read a real cluster.' },
      traefik: { status: 'off', ms: 0, origin: 'labels', message: 'The lab balancer routes by the lab services’ traefik-style labels.' },
      lab: { status: 'ok', ms, message: 'embedded demo lab', balancer: { address: lab.address, port: lab.port } },
    },
    nodes: [],
    services: mapLabServices(lab.services, lab.address),
    unmatchedTraefikServices: [],
  };
}

export async function readLabTopology(): Promise<Topology> {
  const started = performance.now();
  const lab = await getLab();
  return toLabTopology(lab, Math.round(performance.now() - started));
}
