import type { TestProject } from 'vitest/node';

import { startSwarmLab, type LabService } from '../../scripts/lab/swarm.mjs';

declare module 'vitest' {
  export interface ProvidedContext {
    dockerHost: string;
    labServices: LabService[];
  }
}

/** Start the Swarm lab once for the whole run and stop it afterwards (also on failure and Ctrl-C). */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const started = Date.now();
  const lab = await startSwarmLab();
  process.stderr.write(`[integration] swarm lab up in ${Date.now() - started} ms at ${lab.dockerHost}\n`);
  process.env.DOCKER_HOST = lab.dockerHost;
  project.provide('dockerHost', lab.dockerHost);
  project.provide('labServices', lab.services);
  return async () => {
    const stopping = Date.now();
    await lab.stop();
    process.stderr.write(`[integration] swarm lab down in ${Date.now() - stopping} ms\n`);
  };
}
