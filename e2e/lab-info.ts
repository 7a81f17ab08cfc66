// What scripts/e2e-server.mjs started besides the app: the real HAProxy lab's frontend URLs, read from the JSON file
// named by STICKYSCOPE_E2E_LAB_FILE (playwright.config.ts sets it). Validated, and refused unless every URL is on
// loopback, so a spec can never send a probe anywhere else.
import { readFileSync } from 'node:fs';
import { z } from 'zod';

const loopbackUrl = z.url({ protocol: /^http$/ }).refine((u) => new URL(u).hostname === '127.0.0.1', 'must be a 127.0.0.1 URL');

const labInfoSchema = z.object({
  haproxy: z.object({
    urls: z.object({ sticky: loopbackUrl, roundRobin: loopbackUrl, secure: loopbackUrl }),
    cookieName: z.string().min(1),
    replicas: z.array(z.string().min(1)).min(2),
  }),
});

export type E2eLabInfo = z.infer<typeof labInfoSchema>;

export function readLabInfo(): E2eLabInfo {
  const file = z.string().min(1, 'STICKYSCOPE_E2E_LAB_FILE is not set; run the specs through playwright.config.ts').parse(process.env.STICKYSCOPE_E2E_LAB_FILE);
  return labInfoSchema.parse(JSON.parse(readFileSync(file, 'utf8')));
}
