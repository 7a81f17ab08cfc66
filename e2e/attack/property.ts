// Running fast-check properties the attack suite's way: one seed for the whole run (a fixed default, or
// STICKYSCOPE_ATTACK_SEED), no shrinking (each case costs a server round trip, and a hostile input is readable as it
// is), and a failure message that says how to run the same cases again.
import fc from 'fast-check';

export const SEED_VARIABLE = 'STICKYSCOPE_ATTACK_SEED';
const DEFAULT_SEED = 1_212_026;

export function attackSeed(): number {
  const raw = process.env[SEED_VARIABLE];
  if (raw === undefined || raw.trim() === '') return DEFAULT_SEED;
  if (!/^-?\d{1,10}$/.test(raw.trim())) throw new Error(`${SEED_VARIABLE} must be a whole number, not "${raw}"`);
  return Number(raw.trim()) | 0;
}

/** Cases run per property so far in this process, by name, for the total the suite reports. */
export const casesRun = new Map<string, number>();

function shorten(text: string, max = 3000): string {
  return text.length <= max ? text : `${text.slice(0, max)}… (${text.length - max} more characters)`;
}

/** A case as readable JSON: long strings cut, bytes shown as text (`\xNN` for the ones that are not printable). */
export function describeCase(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => {
    if (v && typeof v === 'object' && (v as { type?: unknown }).type === 'Buffer' && Array.isArray((v as { data?: unknown }).data)) {
      const bytes = Buffer.from((v as { data: number[] }).data);
      const text = bytes.toString('latin1', 0, 400).replace(/[^\x20-\x7e]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
      return `<${bytes.length} bytes: ${text}${bytes.length > 400 ? '…' : ''}>`;
    }
    if (typeof v === 'string' && v.length > 300) return `${v.slice(0, 300)}… (${v.length} characters)`;
    return v;
  });
}

/**
 * Checks `property` on `numRuns` generated cases; throws naming the seed, the failing case and how to reproduce it.
 * `file` is the test file, for the command that reruns it.
 */
export async function checkProperty<T>(name: string, file: string, numRuns: number, property: fc.IAsyncProperty<T> | fc.IProperty<T>): Promise<void> {
  const seed = attackSeed();
  const details = await fc.check(property, { seed, numRuns, endOnFailure: true });
  casesRun.set(name, details.numRuns);
  if (!details.failed) return;
  const error = details.errorInstance instanceof Error ? details.errorInstance.message : String(details.errorInstance);
  throw new Error(
    [
      `${name}: failed on generated case ${details.numRuns} of ${numRuns} (seed ${seed}, path ${details.counterexamplePath}).`,
      `Reproduce: ${SEED_VARIABLE}=${seed} npm run test:attack -- ${file}`,
      `Why: ${shorten(error)}`,
      `Case: ${shorten(describeCase(details.counterexample))}`,
    ].join('\n'),
  );
}
