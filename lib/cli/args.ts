import { InputError } from '@/lib/errors';

/** Accepts only the named boolean flags; anything else is a usage error. */
export function parseFlags<const F extends string>(args: string[], allowed: readonly F[]): Record<F, boolean> {
  const unknown = args.filter((a) => !allowed.includes(a.replace(/^--/, '') as F) || !a.startsWith('--'));
  if (unknown.length > 0) throw new InputError(`unknown option ${unknown.join(' ')}`);
  return Object.fromEntries(allowed.map((f) => [f, args.includes(`--${f}`)])) as Record<F, boolean>;
}
