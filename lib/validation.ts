// Checking input against a zod schema, with the problems in words a person (or a client) can act on. Client-safe.
import { z } from 'zod';
import { InputError, MAX_LISTED_ISSUES } from './errors';

/** The first problems as `path: message` (e.g. `records.3.status: expected number`), and how many there are in all. */
export type IssueList = { issues: string[]; issueCount: number };

function formatIssue(i: z.core.$ZodIssue): string {
  return `${i.path.length ? `${i.path.join('.')}: ` : ''}${i.message}`;
}

/** Only the listed problems are formatted: a body of a million bad values must not cost a million strings. */
export function zodIssues(error: z.ZodError): IssueList {
  return { issues: error.issues.slice(0, MAX_LISTED_ISSUES).map(formatIssue), issueCount: error.issues.length };
}

/** Problems gathered over many parses (one per record, say): the first ones listed, all of them counted. */
export class IssueTally {
  private readonly listed: string[] = [];
  private count = 0;

  /** Adds a failed parse's problems, their paths prefixed with where the parsed value sits. */
  add(error: z.ZodError, prefix: readonly PropertyKey[] = []): void {
    for (const issue of error.issues) {
      if (this.listed.length >= MAX_LISTED_ISSUES) break;
      this.listed.push(formatIssue({ ...issue, path: [...prefix, ...issue.path] }));
    }
    this.count += error.issues.length;
  }

  get issueCount(): number {
    return this.count;
  }

  /** `InputError` with what was gathered, for `what` (`invalid <what>: ...`). */
  toError(what: string): InputError {
    const list = { issues: this.listed, issueCount: this.count };
    return new InputError(issueSummary(what, list), list.issues, list.issueCount);
  }
}

/** `invalid <what>: <first problems>`, saying how many more there are. */
export function issueSummary(what: string, { issues, issueCount }: IssueList, shown = 5): string {
  const more = issueCount - Math.min(shown, issues.length);
  return `invalid ${what}: ${issues.slice(0, shown).join('; ')}${more > 0 ? ` (and ${more} more)` : ''}`;
}

/** Validates `input`; throws `InputError` with the first problems and their count. */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown, what: string): z.output<S> {
  const r = schema.safeParse(input);
  if (r.success) return r.data;
  const list = zodIssues(r.error);
  throw new InputError(issueSummary(what, list), list.issues, list.issueCount);
}

/**
 * A check that an object has at most `maxKeys` own keys, made before any key or value is parsed, so an object of a
 * million keys costs one problem rather than a million: `atMostKeys(100, 'replicas').pipe(z.record(...))`.
 * Anything but an object passes through for the piped schema to refuse.
 */
export function atMostKeys<T extends object = Record<string, unknown>>(maxKeys: number, what = 'entries') {
  return z.custom<T>((input) => typeof input !== 'object' || input === null || countKeysUpTo(input, maxKeys + 1) <= maxKeys, {
    message: `at most ${maxKeys} ${what}`,
  });
}

function countKeysUpTo(object: object, stop: number): number {
  let n = 0;
  for (const k in object) {
    if (!Object.hasOwn(object, k)) continue;
    if (++n >= stop) break;
  }
  return n;
}
