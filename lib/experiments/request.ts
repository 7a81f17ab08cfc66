// The body of `POST /api/experiments`: strict, our own input. Two steps: a preview, then a confirm with its token.
import { z } from 'zod';

import { InputError } from '@/lib/errors';

import { experimentActions } from './types';

const target = {
  action: z.enum(experimentActions),
  service: z.string().min(1).max(128),
  taskId: z.string().regex(/^[a-z0-9]{1,64}$/, 'must be a Swarm task id'),
  replica: z.string().max(256).nullable().default(null),
};

export const experimentRequestSchema = z.discriminatedUnion('step', [
  z.strictObject({ step: z.literal('preview'), ...target }),
  z.strictObject({ step: z.literal('confirm'), token: z.string().min(16).max(128), ...target }),
]);

export type ExperimentRequest = z.input<typeof experimentRequestSchema>;

/** Parses a raw request body; `InputError` naming every problem otherwise. */
export function parseExperimentRequest(body: string, contentType: string | null): z.output<typeof experimentRequestSchema> {
  // JSON only: another site's page cannot send it without a CORS preflight, which this server never grants.
  if (!contentType || !/^application\/json\s*(;|$)/i.test(contentType)) throw new InputError('experiments expect Content-Type: application/json');
  let raw: unknown;
  try {
    raw = JSON.parse(body);
  } catch {
    throw new InputError('experiments expect a JSON body');
  }
  const parsed = experimentRequestSchema.safeParse(raw);
  if (parsed.success) return parsed.data;
  const issues = parsed.error.issues.map((i) => `${i.path.length ? `${i.path.join('.')}: ` : ''}${i.message}`);
  throw new InputError(`invalid experiment request: ${issues.join('; ')}`, issues);
}
