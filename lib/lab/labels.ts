// Label edits on a lab service: the request body, the labels after an edit, and whether the lab accepts them.
// Labels are read with the same reader as a real cluster's, so a bad label gets the same explanation.
import { z } from 'zod';
import { readServiceLabels } from '@/lib/traefik/labels';
import { atMostKeys } from '@/lib/validation';
import type { LabelConfig, TraefikRouter } from '@/lib/traefik/types';
import { LAB_DOMAIN } from './scenarios';

export const LAB_PROVIDER = 'lab';

const MAX_CHANGED_LABELS = 50;

const LABEL_KEY = /^traefik\.[\x21-\x3c\x3e-\x7e]{1,192}$/i;
const LABEL_KEY_RULE = 'only traefik.* labels can be edited; a key is visible ASCII without "=", at most 200 characters';
/** Label values end up in rules, cookie names and response headers: no line breaks or other control characters. */
const LABEL_VALUE = /^[^\x00-\x08\x0a-\x1f\x7f-\x9f]*$/;

export const labelChangeSchema = z
  .strictObject({
    set: atMostKeys<Record<string, string>>(MAX_CHANGED_LABELS, 'labels per edit')
      .pipe(z.record(z.string(), z.string().max(1000).regex(LABEL_VALUE, 'may not contain line breaks or other control characters')))
      .default({}),
    remove: z.array(z.string().regex(LABEL_KEY, LABEL_KEY_RULE)).max(MAX_CHANGED_LABELS).default([]),
  })
  // Checked here rather than as the record's key schema, whose failures only say "Invalid key in record".
  .superRefine((change, ctx) => {
    const keys = Object.keys(change.set);
    for (const key of keys) if (!LABEL_KEY.test(key)) ctx.addIssue({ code: 'custom', path: ['set', key], message: LABEL_KEY_RULE });
    if (keys.length + change.remove.length === 0) ctx.addIssue({ code: 'custom', message: 'nothing to change: give labels to set or to remove' });
  });

export type LabelChange = z.infer<typeof labelChangeSchema>;

/** Docker keys are case-sensitive but Traefik's are not, so an edit replaces every spelling of the key it names. */
export function applyLabelChange(labels: Record<string, string>, change: LabelChange): Record<string, string> {
  const touched = new Set([...Object.keys(change.set), ...change.remove].map((k) => k.toLowerCase()));
  const next = Object.fromEntries(Object.entries(labels).filter(([key]) => !touched.has(key.toLowerCase())));
  return { ...next, ...change.set };
}

function inLabDomain(host: string): boolean {
  return host.toLowerCase().endsWith(`.${LAB_DOMAIN}`);
}

export type LabelRead = { ok: true; config: LabelConfig } | { ok: false; message: string; issues: string[] };

/**
 * The configuration these labels give a lab service, or why the lab refuses them: labels Traefik would reject (it
 * would skip the whole service), or a router for a host outside the lab's domain (the dashboard's probe relay may
 * reach every router host, so a lab router must not name a real one).
 */
export function readLabLabels(serviceName: string, labels: Record<string, string>): LabelRead {
  const { config, rejected } = readServiceLabels(serviceName, labels, { provider: LAB_PROVIDER });
  if (rejected) {
    return {
      ok: false,
      message: 'Traefik would reject these labels and skip the service, so the lab keeps the previous ones.',
      issues: config.problems.map((p) => `${p.key}${p.value ? `=${p.value}` : ''}: ${p.reason}`),
    };
  }
  const outside = config.routers.flatMap((r) => r.hosts.filter((h) => !inLabDomain(h)).map((h) => `${r.name}: ${h}`));
  if (outside.length > 0) {
    return { ok: false, message: `Lab routers can only match hosts under .${LAB_DOMAIN}, such as ${serviceName}.${LAB_DOMAIN}.`, issues: outside };
  }
  return { ok: true, config };
}

export function sameLabels(a: Record<string, string>, b: Record<string, string>): boolean {
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((k) => Object.hasOwn(b, k) && a[k] === b[k]);
}

/** The routers a service's labels give it; none when `traefik.enable=false`, since Traefik then skips the service. */
export function routersOf(config: LabelConfig): TraefikRouter[] {
  return config.enabled === false ? [] : config.routers;
}
