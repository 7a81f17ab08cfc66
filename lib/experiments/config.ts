// The experiment settings as lib/env.ts validates them. Pure and free of Node imports, so the UI may share the glob.

export type RuntimeApiAddress = { kind: 'unix'; path: string } | { kind: 'tcp'; host: string; port: number };

export type ExperimentsConfig = {
  /** `STICKYSCOPE_EXPERIMENTS=1`. Off by default: no write reaches Docker or HAProxy while false. */
  enabled: boolean;
  /** `STICKYSCOPE_EXPERIMENT_SERVICES`: Swarm service names or globs (`*`, `?`) experiments may act on. */
  services: string[];
  /** `HAPROXY_RUNTIME_API`: an HAProxy stats socket at admin level, for the drain action. */
  haproxyRuntimeApi: RuntimeApiAddress | null;
};

const SERVICE_PATTERN = /^[A-Za-z0-9*?][A-Za-z0-9_.*?-]{0,62}$/;

/** Comma-separated service names or globs; blanks are skipped, every bad entry is named. */
export function parseExperimentServices(raw: string): { entries: string[]; issues: string[] } {
  const patterns: string[] = [];
  const issues: string[] = [];
  for (const entry of raw.split(',').map((s) => s.trim()).filter(Boolean)) {
    if (SERVICE_PATTERN.test(entry)) patterns.push(entry);
    else issues.push(`"${entry}" is not a Swarm service name or glob (letters, digits, _ . - and the wildcards * ?)`);
  }
  return { entries: [...new Set(patterns)], issues };
}

function globToRegExp(pattern: string): RegExp {
  const body = pattern.replace(/[.+^${}()|[\]\\-]/g, '\\$&').replaceAll('*', '.*').replaceAll('?', '.');
  return new RegExp(`^${body}$`);
}

/** Whether a Swarm service name is one experiments may act on. Names are compared exactly, as Docker does. */
export function serviceMatchesPatterns(name: string, patterns: readonly string[]): boolean {
  return patterns.some((p) => globToRegExp(p).test(name));
}

/** `/path/to/admin.sock` or `host:port` (`[::1]:9999` for IPv6); a message for a person when it is neither. */
export function parseRuntimeApiAddress(raw: string): RuntimeApiAddress | string {
  const text = raw.trim();
  if (text.startsWith('/')) return { kind: 'unix', path: text };
  const m = /^(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9.-]+):(\d{1,5})$/.exec(text);
  const port = m ? Number(m[2]) : 0;
  if (m && port >= 1 && port <= 65535) return { kind: 'tcp', host: m[1]!.replace(/^\[|\]$/g, ''), port };
  return `"${raw}" should be the path of an HAProxy stats socket (/run/haproxy/admin.sock) or host:port (127.0.0.1:9999)`;
}
