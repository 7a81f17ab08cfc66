// Checking input against a zod schema, with the problems in words a person (or a client) can act on. Client-safe.
import type { z } from 'zod';
import { InputError } from './errors';

/** Each problem as `path: message`, e.g. `records.3.status: expected number`. */
export function zodIssues(error: z.ZodError): string[] {
  return error.issues.map((i) => `${i.path.length ? `${i.path.join('.')}: ` : ''}${i.message}`);
}

/** Validates `input`; throws `InputError` naming every problem (the first five in its message). */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown, what: string): z.output<S> {
  const r = schema.safeParse(input);
  if (r.success) return r.data;
  const issues = zodIssues(r.error);
  throw new InputError(`invalid ${what}: ${issues.slice(0, 5).join('; ')}`, issues);
}
