// Comma-separated settings: blanks skipped, every bad entry reported by its own message, none silently dropped.
// Client-safe.

/** `parseEntry` answers the parsed entry, or a message saying what is wrong with it. */
export function parseCommaList<T extends object>(raw: string, parseEntry: (entry: string) => T | string): { entries: T[]; issues: string[] } {
  const entries: T[] = [];
  const issues: string[] = [];
  for (const part of raw.split(',')) {
    if (!part.trim()) continue;
    const r = parseEntry(part);
    if (typeof r === 'string') issues.push(r);
    else entries.push(r);
  }
  return { entries, issues };
}
