// What scripts/e2e-server.mjs started besides the app: the real HAProxy lab's frontend URLs and the Swarm lab's
// DOCKER_HOST and host-network services, read from the JSON file named by STICKYSCOPE_E2E_LAB_FILE
// (playwright.config.ts sets it). Validated, and refused unless every URL is on loopback and the Docker API is a
// local socket, so a spec can never send a probe or a Docker call anywhere else.
import { readFileSync } from 'node:fs';
import { z } from 'zod';

const loopbackUrl = z.url({ protocol: /^http$/ }).refine((u) => new URL(u).hostname === '127.0.0.1', 'must be a 127.0.0.1 URL');

const labInfoSchema = z.object({
  haproxy: z.object({
    urls: z.object({ sticky: loopbackUrl, roundRobin: loopbackUrl, secure: loopbackUrl }),
    cookieName: z.string().min(1),
    replicas: z.array(z.string().min(1)).min(2),
  }),
  swarm: z.object({
    dockerHost: z.string().regex(/^unix:\/\/\//, 'must be the lab engine’s unix socket'),
    /** Host-network services: `app-1`.. by slot, and the slot's 127.0.0.1 URL. */
    services: z.array(z.object({ name: z.string().min(1), hostnames: z.array(z.string().min(1)), urls: z.array(loopbackUrl) })),
  }),
});

export type E2eLabInfo = z.infer<typeof labInfoSchema>;
export type E2eLabService = E2eLabInfo['swarm']['services'][number];

export function readLabInfo(): E2eLabInfo {
  const file = z.string().min(1, 'STICKYSCOPE_E2E_LAB_FILE is not set; run the specs through playwright.config.ts').parse(process.env.STICKYSCOPE_E2E_LAB_FILE);
  return labInfoSchema.parse(JSON.parse(readFileSync(file, 'utf8')));
}

/** One host-network service of the Swarm lab, with a URL per replica. */
export function labService(info: E2eLabInfo, name: string, replicas: number): E2eLabService {
  const service = info.swarm.services.find((s) => s.name === name);
  if (!service || service.urls.length !== replicas) throw new Error(`the Swarm lab has no host-network ${name} with ${replicas} replicas`);
  return service;
}
