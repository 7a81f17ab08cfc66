// Pulls hosts and paths out of a Traefik router rule without evaluating it.

export type RuleTargets = { hosts: string[]; pathPrefixes: string[] };

const HOST_MATCHERS = new Set(['Host', 'HostHeader']);
const PATH_MATCHERS = new Set(['PathPrefix', 'Path']);

/** Reads a Go string literal (backticks or double quotes) starting at `start`; returns it and the index after it. */
function readLiteral(rule: string, start: number): { value: string; end: number } | null {
  const quote = rule[start];
  if (quote !== '`' && quote !== '"') return null;
  let value = '';
  for (let i = start + 1; i < rule.length; i++) {
    const char = rule[i] as string;
    if (char === quote) return { value, end: i + 1 };
    if (quote === '"' && char === '\\' && i + 1 < rule.length) {
      value += rule[i + 1];
      i++;
      continue;
    }
    value += char;
  }
  return null;
}

function skipSpaces(rule: string, index: number): number {
  let i = index;
  while (i < rule.length && /\s/.test(rule[i] as string)) i++;
  return i;
}

/** Parses `(lit, lit, ...)` at `open`; v2 allowed several values per matcher. */
function readArguments(rule: string, open: number): { values: string[]; end: number } {
  const values: string[] = [];
  let i = skipSpaces(rule, open + 1);
  while (i < rule.length) {
    const literal = readLiteral(rule, i);
    if (!literal) break;
    values.push(literal.value);
    i = skipSpaces(rule, literal.end);
    if (rule[i] === ',') {
      i = skipSpaces(rule, i + 1);
      continue;
    }
    break;
  }
  return { values, end: i };
}

/**
 * Hosts from `Host`/`HostHeader` and paths from `PathPrefix`/`Path`, in rule order, deduplicated.
 * `HostRegexp`/`PathRegexp` and negated matchers (`!Host(...)`) name no concrete target and are skipped.
 */
export function parseRuleTargets(rule: string): RuleTargets {
  const hosts: string[] = [];
  const pathPrefixes: string[] = [];
  let i = 0;
  while (i < rule.length) {
    const char = rule[i] as string;
    if (char === '`' || char === '"') {
      i = readLiteral(rule, i)?.end ?? rule.length;
      continue;
    }
    if (!/[A-Za-z]/.test(char)) {
      i++;
      continue;
    }
    let end = i;
    while (end < rule.length && /[A-Za-z0-9_]/.test(rule[end] as string)) end++;
    const name = rule.slice(i, end);
    const negated = rule.slice(0, i).trimEnd().endsWith('!');
    const open = skipSpaces(rule, end);
    if (rule[open] === '(' && (HOST_MATCHERS.has(name) || PATH_MATCHERS.has(name))) {
      const { values, end: after } = readArguments(rule, open);
      if (!negated) {
        const target = HOST_MATCHERS.has(name) ? hosts : pathPrefixes;
        for (const raw of values) {
          const value = HOST_MATCHERS.has(name) ? raw.trim().toLowerCase() : raw;
          if (value && !target.includes(value)) target.push(value);
        }
      }
      i = after;
      continue;
    }
    i = end;
  }
  return { hosts, pathPrefixes };
}
