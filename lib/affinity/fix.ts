// Building label fixes, and rendering them as stack-file YAML and as a `docker service update` command.
import type { TopologyService } from '@/lib/topology/types';
import { findLabel, stackFileName } from './labels';
import type { Fix } from './types';

/**
 * A fix against the service's current labels: a key to set reuses the spelling already stored (so Docker
 * overwrites it instead of adding a case variant Traefik would also read), and only keys present are removed.
 */
export function labelFix(
  service: Pick<TopologyService, 'labels'>,
  change: { set?: Record<string, string>; remove?: string[]; note?: string },
): Fix {
  const labelsToAdd: Record<string, string> = {};
  for (const [key, value] of Object.entries(change.set ?? {})) {
    const existing = findLabel(service.labels, key);
    if (existing?.value === value) continue;
    labelsToAdd[existing?.key ?? key] = value;
  }
  const labelsToRemove = [...new Set(change.remove ?? [])].filter((key) => key in service.labels);
  return change.note === undefined ? { labelsToAdd, labelsToRemove } : { labelsToAdd, labelsToRemove, note: change.note };
}

export function isEmptyFix(fix: Fix): boolean {
  return Object.keys(fix.labelsToAdd).length === 0 && fix.labelsToRemove.length === 0;
}

const shellSafe = /^[A-Za-z0-9_@%+=:,./-]+$/;

export function shellQuote(word: string): string {
  return shellSafe.test(word) ? word : `'${word.replaceAll("'", `'\\''`)}'`;
}

/** `docker service update --label-add k=v --label-rm k <stack_service>`, or null when no label changes. */
export function renderFixCommand(fix: Fix, serviceName: string): string | null {
  if (isEmptyFix(fix)) return null;
  const args = [
    ...Object.entries(fix.labelsToAdd).flatMap(([k, v]) => ['--label-add', shellQuote(`${k}=${v}`)]),
    ...fix.labelsToRemove.flatMap((k) => ['--label-rm', shellQuote(k)]),
  ];
  return ['docker', 'service', 'update', ...args, shellQuote(serviceName)].join(' ');
}

// JSON strings are valid YAML double-quoted scalars; quoting every value keeps `true` and backticks literal.
const yamlString = (s: string) => JSON.stringify(s);
const yamlKey = (s: string) => (/^[A-Za-z0-9_.\-/]+$/.test(s) ? s : JSON.stringify(s));

/** The change as the service's `deploy.labels` in a stack file; removals are comments, since YAML cannot delete. */
export function renderFixYaml(fix: Fix, service: { name: string; stack: string | null }): string | null {
  if (isEmptyFix(fix)) return null;
  const lines = ['services:', `  ${yamlKey(stackFileName(service))}:`, '    deploy:', '      labels:'];
  for (const [k, v] of Object.entries(fix.labelsToAdd)) lines.push(`        ${yamlKey(k)}: ${yamlString(v)}`);
  for (const k of fix.labelsToRemove) lines.push(`        # remove: ${k}`);
  return `${lines.join('\n')}\n`;
}
