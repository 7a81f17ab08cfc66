// Prefill for the Probe page from its URL, e.g. /probes?target=http://shop.example/&resolve=shop.example:80:127.0.0.1
// Lenient by design: a value that does not fit is dropped and the form's own validation explains the rest.
import { defaultProbeForm, identityKinds, type IdentityKind, type ProbeFormValues } from '@/lib/probe/form';

export type ProbeSearchParams = Record<string, string | string[] | undefined>;

const IDENTITY_PREFIXES: Record<string, IdentityKind> = { header: 'header', regex: 'bodyRegex', json: 'jsonField', cookie: 'cookie' };

function one(sp: ProbeSearchParams, key: string): string | null {
  const v = sp[key];
  const s = Array.isArray(v) ? v[0] : v;
  return s === undefined ? null : s.slice(0, 2048);
}

function all(sp: ProbeSearchParams, key: string): string[] {
  const v = sp[key];
  return (Array.isArray(v) ? v : v === undefined ? [] : [v]).flatMap((s) => s.split(',')).map((s) => s.trim()).filter(Boolean).slice(0, 16);
}

function digits(s: string | null): string | null {
  return s !== null && /^\d{1,7}$/.test(s) ? s : null;
}

export type ProbePrefill = { form: ProbeFormValues; serviceId: string | null };

export function parseProbeSearchParams(sp: ProbeSearchParams): ProbePrefill {
  const form: ProbeFormValues = { ...defaultProbeForm };
  const target = one(sp, 'target');
  if (target) form.target = target;
  const resolve = all(sp, 'resolve');
  if (resolve.length) form.resolve = resolve.join('\n');
  form.requests = digits(one(sp, 'requests')) ?? form.requests;
  form.intervalMs = digits(one(sp, 'interval')) ?? form.intervalMs;
  form.concurrency = digits(one(sp, 'concurrency')) ?? form.concurrency;
  form.timeoutMs = digits(one(sp, 'timeout')) ?? form.timeoutMs;
  const cookies = one(sp, 'cookies');
  if (cookies === 'browser' || cookies === 'none') form.cookies = cookies;
  const mode = one(sp, 'mode');
  if (mode === 'relay' || mode === 'direct') form.mode = mode;
  const stop = one(sp, 'stop');
  if (stop !== null) form.stopAtFirstBreak = stop === '1' || stop === 'true';
  const balancer = one(sp, 'balancer');
  if (balancer) form.balancerCookie = balancer;
  const identity = one(sp, 'identity');
  if (identity) {
    const colon = identity.indexOf(':');
    const kind = colon > 0 ? IDENTITY_PREFIXES[identity.slice(0, colon)] : identity === 'auto' ? 'auto' : undefined;
    if (kind && identityKinds.includes(kind)) {
      form.identityKind = kind;
      form.identityValue = kind === 'auto' ? '' : identity.slice(colon + 1);
    }
  }
  const service = one(sp, 'service');
  return { form, serviceId: service && /^[A-Za-z0-9_.-]{1,128}$/.test(service) ? service : null };
}

/** The link the Service page uses for "Probe this service". */
export function probeHref(params: { target: string; serviceId?: string; balancerCookie?: string | null; resolve?: string[] }): string {
  const q = new URLSearchParams();
  if (params.target) q.set('target', params.target);
  for (const r of params.resolve ?? []) q.append('resolve', r);
  if (params.serviceId) q.set('service', params.serviceId);
  if (params.balancerCookie) q.set('balancer', params.balancerCookie);
  return `/probes?${q.toString()}`;
}
