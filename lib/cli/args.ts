import { parseArgs } from 'node:util';
import { InputError } from '@/lib/errors';

type Flags<B extends string, S extends string> = Record<B, boolean> & Partial<Record<S, string>>;

/** Accepts only the named boolean flags and `--name value` options; anything else is a usage error. */
export function parseFlags<const B extends string>(args: string[], booleans: readonly B[]): Flags<B, never>;
export function parseFlags<const B extends string, const S extends string>(args: string[], booleans: readonly B[], strings: readonly S[]): Flags<B, S>;
export function parseFlags(args: string[], booleans: readonly string[], strings: readonly string[] = []): Flags<string, string> {
  const options = Object.fromEntries([...booleans.map((b) => [b, { type: 'boolean' }]), ...strings.map((s) => [s, { type: 'string' }])]) as Record<string, { type: 'boolean' | 'string' }>;
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({ args, options, strict: true, allowPositionals: false }));
  } catch (error) {
    const unknown = args.filter((a) => !a.startsWith('--') || ![...booleans, ...strings].includes(a.slice(2).split('=')[0] ?? ''));
    throw new InputError(unknown.length > 0 ? `unknown option ${unknown.join(' ')}` : error instanceof Error ? error.message : String(error));
  }
  const flags: Record<string, boolean | string> = {};
  for (const b of booleans) flags[b] = values[b] === true;
  for (const s of strings) if (typeof values[s] === 'string') flags[s] = values[s];
  return flags as Flags<string, string>;
}
