// The body of `POST /api/experiments`: strict, our own input. Two steps: a preview, then a confirm with its token.
import { z } from 'zod';

import { parseInput } from '@/lib/validation';

import { experimentActions } from './types';

/** A Swarm task id as requests may name it; checked again before the id goes into an engine path. */
export const TASK_ID_PATTERN = /^[a-z0-9]{1,64}$/;

/** Far above any valid request; the body is not read past it. */
export const EXPERIMENT_REQUEST_BYTES = 16 * 1024;

export const EXPERIMENT_REQUEST_HINT = 'an experiment request is { "step": "preview", "action", "service", "taskId", "replica" }, then "confirm" with its token';

const target = {
  action: z.enum(experimentActions),
  service: z.string().min(1).max(128),
  taskId: z.string().regex(TASK_ID_PATTERN, 'must be a Swarm task id'),
  replica: z.string().max(256).nullable().default(null),
};

export const experimentRequestSchema = z.discriminatedUnion('step', [
  z.strictObject({ step: z.literal('preview'), ...target }),
  z.strictObject({ step: z.literal('confirm'), token: z.string().min(16).max(128), ...target }),
]);

export type ExperimentRequest = z.input<typeof experimentRequestSchema>;

/** Checks a parsed JSON body; `InputError` naming every problem otherwise. */
export function parseExperimentRequest(body: unknown): z.output<typeof experimentRequestSchema> {
  return parseInput(experimentRequestSchema, body, 'experiment request');
}
