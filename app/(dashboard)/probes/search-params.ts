// Prefill for the Probe page from its URL, e.g. /probes?target=http://shop.example/&resolve=shop.example:80:127.0.0.1
// Lenient by design: a value that does not fit is dropped and the form's own validation explains the rest.
//
// Parameters (names follow the command line's flags where there is one): target, resolve (repeated or
// comma-separated), requests, interval, concurrency, timeout, cookies (browser|none), mode (relay|direct),
// stop (1|0), balancer, identity (auto | header:NAME | regex:RE | json:PATH | cookie:NAME), header (`Name: value`,
// repeated), service, protocol (auto|http|engineio|session-route|shiny), eio-path, eio-version (3|4), namespace,
// upgrade (1|0), extract-regex or extract-json, break-status (comma-separated), break-marker, shiny-route
// (auto|dataobj|download|upload), shiny-output, app-session (auto|off|NAME).
import { isCredentialName, withoutCredentialParams } from '@/lib/net/credentials';
import { defaultProbeForm, identityKinds, type IdentityKind, type ProbeFormValues } from '@/lib/probe/form';
import { probeProtocolChoices, shinyRouteKinds } from '@/lib/probe/types';

export type ProbeSearchParams = Record<string, string | string[] | undefined>;

const IDENTITY_PREFIXES: Record<string, IdentityKind> = { header: 'header', regex: 'bodyRegex', json: 'jsonField', cookie: 'cookie' };
const IDENTITY_PREFIX_OF = Object.fromEntries(Object.entries(IDENTITY_PREFIXES).map(([prefix, kind]) => [kind, prefix])) as Record<IdentityKind, string>;
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
const MAX_VALUES = 16;

function values(sp: ProbeSearchParams, key: string): string[] {
  const v = sp[key];
  return (Array.isArray(v) ? v : v === undefined ? [] : [v]).slice(0, MAX_VALUES).map((s) => s.slice(0, 2048));
}

function one(sp: ProbeSearchParams, key: string): string | null {
  return values(sp, key)[0] ?? null;
}

/** A value for a one-line field: line breaks and control characters do not fit in one. */
function line(sp: ProbeSearchParams, key: string): string | null {
  const s = one(sp, key);
  return s !== null && !/[\u0000-\u001f\u007f]/.test(s) ? s : null;
}

function all(sp: ProbeSearchParams, key: string): string[] {
  return values(sp, key)
    .flatMap((s) => s.split(','))
    .map((s) => s.trim())
    .filter(Boolean)
    .slice(0, MAX_VALUES);
}

function digits(s: string | null): string | null {
  return s !== null && /^\d{1,7}$/.test(s) ? s : null;
}

function flag(s: string | null): boolean | null {
  return s === null ? null : s === '1' || s === 'true';
}

function oneOf<T extends string>(s: string | null, allowed: readonly T[]): T | null {
  return allowed.includes(s as T) ? (s as T) : null;
}

function statusList(s: string | null): string | null {
  const list = (s ?? '').split(',').map((x) => x.trim());
  return s !== null && list.every((x) => /^\d{3}$/.test(x)) ? list.join(', ') : null;
}

function identityOf(s: string | null): Pick<ProbeFormValues, 'identityKind' | 'identityValue'> | null {
  if (s === 'auto') return { identityKind: 'auto', identityValue: '' };
  const colon = s?.indexOf(':') ?? -1;
  const kind = s && colon > 0 ? IDENTITY_PREFIXES[s.slice(0, colon)] : undefined;
  return s && kind && identityKinds.includes(kind) ? { identityKind: kind, identityValue: s.slice(colon + 1) } : null;
}

function headerLines(sp: ProbeSearchParams): string | null {
  const lines = values(sp, 'header').filter((h) => /^[^:\r\n\0]+:[^\r\n\0]*$/.test(h) && TOKEN.test(h.slice(0, h.indexOf(':')).trim()));
  return lines.length ? lines.join('\n') : null;
}

function appSession(s: string | null): string | null {
  if (s === 'auto') return '';
  return s !== null && TOKEN.test(s) ? s : null;
}

/** The protocol and its options; each option is kept whatever the protocol, so switching protocols keeps it. */
function protocolFields(sp: ProbeSearchParams): Partial<ProbeFormValues> {
  const fields: Partial<ProbeFormValues> = {};
  const protocol = oneOf(one(sp, 'protocol'), probeProtocolChoices);
  if (protocol) fields.protocol = protocol;
  const path = line(sp, 'eio-path');
  if (path?.startsWith('/')) fields.eioPath = path;
  const version = oneOf(one(sp, 'eio-version'), ['3', '4'] as const);
  if (version) fields.eioVersion = version;
  const namespace = line(sp, 'namespace');
  if (namespace?.startsWith('/')) fields.eioNamespace = namespace;
  const upgrade = flag(one(sp, 'upgrade'));
  if (upgrade !== null) fields.eioUpgrade = upgrade;
  const regex = line(sp, 'extract-regex');
  const json = line(sp, 'extract-json');
  if (regex) Object.assign(fields, { extractKind: 'regex', extractValue: regex });
  else if (json) Object.assign(fields, { extractKind: 'json', extractValue: json });
  const statuses = statusList(one(sp, 'break-status'));
  if (statuses) fields.breakStatuses = statuses;
  const marker = line(sp, 'break-marker');
  if (marker) fields.bodyMarker = marker;
  const shinyRoute = oneOf(one(sp, 'shiny-route'), ['auto', ...shinyRouteKinds] as const);
  if (shinyRoute) fields.shinyRoute = shinyRoute;
  const shinyOutput = line(sp, 'shiny-output');
  if (shinyOutput) fields.shinyOutput = shinyOutput;
  const session = appSession(line(sp, 'app-session'));
  if (session !== null) fields.appSessionCookie = session;
  return fields;
}

export type ProbePrefill = { form: ProbeFormValues; serviceId: string | null };

export function parseProbeSearchParams(sp: ProbeSearchParams): ProbePrefill {
  const form: ProbeFormValues = { ...defaultProbeForm, ...protocolFields(sp) };
  const target = one(sp, 'target');
  if (target) form.target = target;
  const resolve = all(sp, 'resolve');
  if (resolve.length) form.resolve = resolve.join('\n');
  form.headers = headerLines(sp) ?? form.headers;
  form.requests = digits(one(sp, 'requests')) ?? form.requests;
  form.intervalMs = digits(one(sp, 'interval')) ?? form.intervalMs;
  form.concurrency = digits(one(sp, 'concurrency')) ?? form.concurrency;
  form.timeoutMs = digits(one(sp, 'timeout')) ?? form.timeoutMs;
  form.cookies = oneOf(one(sp, 'cookies'), ['browser', 'none'] as const) ?? form.cookies;
  form.mode = oneOf(one(sp, 'mode'), ['relay', 'direct'] as const) ?? form.mode;
  form.stopAtFirstBreak = flag(one(sp, 'stop')) ?? form.stopAtFirstBreak;
  const balancer = line(sp, 'balancer');
  if (balancer) form.balancerCookie = balancer;
  Object.assign(form, identityOf(line(sp, 'identity')));
  const service = one(sp, 'service');
  return { form, serviceId: service && /^[A-Za-z0-9_.-]{1,128}$/.test(service) ? service : null };
}

/** What a link to the Probe page may prefill: any form field, and the service whose tasks name the replicas. */
export type ProbeLink = Partial<ProbeFormValues> & { serviceId?: string | null };

function splitLines(text: string | undefined, separator: RegExp): string[] {
  return (text ?? '')
    .split(separator)
    .map((s) => s.trim())
    .filter(Boolean);
}

/** Only what differs from the form's defaults; the protocol's options only for that protocol. */
function protocolParams(link: ProbeLink, set: (key: string, value: string | undefined, fallback: string) => void) {
  set('protocol', link.protocol, defaultProbeForm.protocol);
  if (link.protocol === 'engineio') {
    set('eio-path', link.eioPath, defaultProbeForm.eioPath);
    set('eio-version', link.eioVersion, defaultProbeForm.eioVersion);
    set('namespace', link.eioNamespace, defaultProbeForm.eioNamespace);
    if (link.eioUpgrade === false) set('upgrade', '0', '');
  }
  if (link.protocol === 'session-route') {
    set(link.extractKind === 'json' ? 'extract-json' : 'extract-regex', link.extractValue?.trim(), '');
    set('break-status', splitLines(link.breakStatuses, /,/).join(','), splitLines(defaultProbeForm.breakStatuses, /,/).join(','));
    set('break-marker', link.bodyMarker?.trim(), '');
  }
  // `auto` keeps them too: they apply once the page turns out to be Shiny.
  if (link.protocol === 'shiny' || link.protocol === undefined || link.protocol === 'auto') {
    set('shiny-route', link.shinyRoute, defaultProbeForm.shinyRoute);
    set('shiny-output', link.shinyOutput?.trim(), '');
  }
  set('app-session', link.appSessionCookie?.trim(), '');
}

/**
 * A link to the Probe page that prefills `link`. Headers and target query parameters that carry credentials are left
 * out: a URL ends up in histories, logs and chat messages.
 */
export function probeHref(link: ProbeLink): string {
  const q = new URLSearchParams();
  const set = (key: string, value: string | undefined, fallback: string) => {
    if (value !== undefined && value !== '' && value !== fallback) q.set(key, value);
  };
  set('target', link.target && withoutCredentialParams(link.target), '');
  for (const r of splitLines(link.resolve, /[\n,]/)) q.append('resolve', r);
  if (link.serviceId) q.set('service', link.serviceId);
  set('balancer', link.balancerCookie?.trim(), '');
  set('requests', link.requests, defaultProbeForm.requests);
  set('interval', link.intervalMs, defaultProbeForm.intervalMs);
  set('concurrency', link.concurrency, defaultProbeForm.concurrency);
  set('timeout', link.timeoutMs, defaultProbeForm.timeoutMs);
  set('cookies', link.cookies, defaultProbeForm.cookies);
  set('mode', link.mode, defaultProbeForm.mode);
  if (link.stopAtFirstBreak) q.set('stop', '1');
  if (link.identityKind && link.identityKind !== 'auto') q.set('identity', `${IDENTITY_PREFIX_OF[link.identityKind]}:${link.identityValue ?? ''}`);
  for (const h of splitLines(link.headers, /\n/)) {
    const name = h.slice(0, Math.max(h.indexOf(':'), 0));
    if (name && !isCredentialName(name)) q.append('header', h);
  }
  protocolParams(link, set);
  return `/probes?${q.toString()}`;
}
