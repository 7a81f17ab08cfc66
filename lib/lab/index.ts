import 'server-only';
// The demo lab of this server process: started on first use, once, and stopped when the process exits.
import type { Topology } from '@/lib/topology/types';
import { startLab, type Lab } from './lab';
import { labFailureTopology, toLabTopology } from './topology';

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

/** The lab as a topology source; a lab that cannot start is reported in its source status, never thrown. */
export async function readLabTopology(): Promise<Topology> {
  const started = performance.now();
  const ms = () => Math.round(performance.now() - started);
  try {
    const lab = await getLab();
    return toLabTopology(lab, ms());
  } catch (error) {
    return labFailureTopology(error, ms());
  }
}
