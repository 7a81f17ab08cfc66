// The Probe page's form, as plain strings, turned into a spec with the spec schema's own messages per field.
// Pure, so the page and its tests share it.
import { engineioOptionsSchema, probeSpecSchema, REFUSED_HEADERS, shinyOptionsSchema, type IdentitySpec, type ProbeSpec, type ShinyOptions } from './spec';
import { parseResolveOverride } from './resolve';
import type { ProbeProtocolChoice } from './types';

export const probeModes = ['relay', 'direct'] as const;
export type ProbeMode = (typeof probeModes)[number];

export const identityKinds = ['auto', 'header', 'bodyRegex', 'jsonField', 'cookie'] as const;
export type IdentityKind = (typeof identityKinds)[number];

export const extractKinds = ['regex', 'json'] as const;
export type ExtractKind = (typeof extractKinds)[number];

export type ProbeFormValues = {
  target: string;
  requests: string;
  intervalMs: string;
  concurrency: string;
  timeoutMs: string;
  cookies: 'browser' | 'none';
  identityKind: IdentityKind;
  identityValue: string;
  balancerCookie: string;
  stopAtFirstBreak: boolean;
  /** One `host:port:address` per line (or comma-separated). */
  resolve: string;
  /** One `Name: value` per line. */
  headers: string;
  mode: ProbeMode;
  protocol: ProbeProtocolChoice;
  eioPath: string;
  eioVersion: '3' | '4';
  eioNamespace: string;
  eioUpgrade: boolean;
  extractKind: ExtractKind;
  extractValue: string;
  /** Comma-separated statuses. */
  breakStatuses: string;
  bodyMarker: string;
  /** Protocol `shiny` (or `auto` on a Shiny page): which session route to request, and whose. */
  shinyRoute: ShinyOptions['route'];
  /** Blank: the first output of that kind the page declares. */
  shinyOutput: string;
  /** Blank for `auto`, `off`, or the cookie's name. */
  appSessionCookie: string;
};

export type ProbeFormField = keyof ProbeFormValues;
export type ProbeFormErrors = Partial<Record<ProbeFormField, string[]>>;

export const defaultProbeForm: ProbeFormValues = {
  target: '',
  requests: '100',
  intervalMs: '10',
  concurrency: '1',
  timeoutMs: '10000',
  cookies: 'browser',
  identityKind: 'auto',
  identityValue: '',
  balancerCookie: '',
  stopAtFirstBreak: false,
  resolve: '',
  headers: '',
  mode: 'relay',
  protocol: 'auto',
  eioPath: '/socket.io/',
  eioVersion: '4',
  eioNamespace: '/',
  eioUpgrade: true,
  extractKind: 'regex',
  extractValue: '',
  breakStatuses: '404, 410',
  bodyMarker: '',
  shinyRoute: 'auto',
  shinyOutput: '',
  appSessionCookie: '',
};

const NUMBER_FIELDS = ['requests', 'intervalMs', 'concurrency', 'timeoutMs'] as const;

function add(errors: ProbeFormErrors, field: ProbeFormField, message: string) {
  const list = (errors[field] ??= []);
  if (!list.includes(message)) list.push(message);
}

const OPTION_FIELDS: Record<string, ProbeFormField> = {
  'engineio.path': 'eioPath',
  'engineio.version': 'eioVersion',
  'engineio.namespace': 'eioNamespace',
  'sessionRoute.extractRegex': 'extractValue',
  'sessionRoute.extractJson': 'extractValue',
  'sessionRoute.breakStatuses': 'breakStatuses',
  'sessionRoute.bodyMarker': 'bodyMarker',
  'shiny.route': 'shinyRoute',
  'shiny.output': 'shinyOutput',
};

/** Which form field a spec issue belongs to. */
function fieldOf(path: readonly PropertyKey[]): ProbeFormField {
  const head = String(path[0] ?? 'target');
  switch (head) {
    case 'identity':
      return 'identityValue';
    case 'engineio':
    case 'sessionRoute':
    case 'shiny':
      return OPTION_FIELDS[`${head}.${String(path[1])}`] ?? (head === 'sessionRoute' ? 'extractValue' : 'protocol');
    case 'method':
      return 'protocol';
    case 'headers':
    case 'resolve':
    case 'balancerCookie':
    case 'cookies':
    case 'stopAtFirstBreak':
    case 'target':
    case 'requests':
    case 'intervalMs':
    case 'concurrency':
    case 'timeoutMs':
    case 'protocol':
    case 'appSessionCookie':
      return head;
    default:
      return 'target';
  }
}

/** The protocol's own options, as the spec wants them; statuses that are not numbers go to `errors`. */
function protocolInput(v: ProbeFormValues, errors: ProbeFormErrors): Record<string, unknown> {
  if (v.protocol === 'engineio') {
    return { engineio: { path: v.eioPath.trim(), version: v.eioVersion === '3' ? 3 : 4, namespace: v.eioNamespace.trim(), upgrade: v.eioUpgrade } };
  }
  if (v.protocol === 'shiny' || v.protocol === 'auto') {
    const output = v.shinyOutput.trim();
    // Only what differs from the defaults, so an `auto` run of a page that is not Shiny carries no Shiny options.
    return v.shinyRoute === 'auto' && !output ? {} : { shiny: { route: v.shinyRoute, output: output || null } };
  }
  if (v.protocol !== 'session-route') return {};
  const statuses = v.breakStatuses
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  for (const s of statuses) if (!/^\d{3}$/.test(s)) add(errors, 'breakStatuses', `"${s}" is not an HTTP status`);
  const extract = v.extractValue.trim();
  // Without it the spec's own message ("needs a regex or a JSON path…") lands on this field.
  if (!extract) return {};
  return {
    sessionRoute: {
      ...(v.extractKind === 'regex' ? { extractRegex: extract } : { extractJson: extract }),
      ...(statuses.length ? { breakStatuses: statuses.map(Number) } : {}),
      bodyMarker: v.bodyMarker.trim() || null,
    },
  };
}

export type ProbeFormResult = { ok: true; spec: ProbeSpec; mode: ProbeMode } | { ok: false; errors: ProbeFormErrors };

export function parseProbeForm(v: ProbeFormValues): ProbeFormResult {
  const errors: ProbeFormErrors = {};
  const input: Record<string, unknown> = {
    target: v.target,
    cookies: v.cookies,
    stopAtFirstBreak: v.stopAtFirstBreak,
    protocol: v.protocol,
    appSessionCookie: v.appSessionCookie.trim() || 'auto',
    ...protocolInput(v, errors),
  };

  for (const field of NUMBER_FIELDS) {
    const text = v[field].trim();
    if (text === '') continue;
    const n = Number(text);
    if (!Number.isFinite(n)) add(errors, field, `"${text}" is not a number`);
    else input[field] = n;
  }

  if (v.identityKind === 'auto') input.identity = 'auto';
  else if (!v.identityValue.trim()) {
    add(errors, 'identityValue', 'name the header, pattern, field or cookie that identifies the replica');
  } else {
    input.identity = { [v.identityKind]: v.identityValue.trim() };
  }

  if (v.balancerCookie.trim()) input.balancerCookie = v.balancerCookie.trim();

  const headers: Record<string, string> = {};
  v.headers.split('\n').forEach((line, i) => {
    if (!line.trim()) return;
    const colon = line.indexOf(':');
    if (colon <= 0) {
      add(errors, 'headers', `line ${i + 1}: write a header as "Name: value"`);
      return;
    }
    const name = line.slice(0, colon).trim();
    headers[name] = line.slice(colon + 1).trim();
    // Checked here too: the schema's own check only runs once every other field is valid.
    const why = REFUSED_HEADERS[name.toLowerCase()];
    if (why) add(errors, 'headers', `${name}: header ${name} is not allowed: ${why}`);
  });
  input.headers = headers;
  input.resolve = v.resolve
    .split(/[\n,]/)
    .map((s) => s.trim())
    .filter(Boolean);

  for (const entry of input.resolve as string[]) {
    const r = parseResolveOverride(entry);
    if (typeof r === 'string') add(errors, 'resolve', r);
  }
  if (v.mode === 'direct' && v.protocol === 'shiny') {
    add(errors, 'protocol', "a Shiny probe holds a WebSocket with the run's cookies, which a page's own WebSocket cannot carry: use relay mode");
  }
  if (v.mode === 'direct' && (input.resolve as string[]).length) {
    add(errors, 'resolve', 'address overrides need relay mode: a page cannot choose which address its fetch connects to');
  }

  const parsed = probeSpecSchema.safeParse(input);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const field = fieldOf(issue.path);
      // A bad override already has its own message; the union's generic one adds nothing.
      if (field === 'resolve' && issue.code === 'invalid_union') continue;
      const sub = issue.path.length > 1 && (field === 'headers' || field === 'resolve') ? `${String(issue.path[1])}: ` : '';
      add(errors, field, `${sub}${issue.message}`);
    }
  }
  if (!parsed.success || Object.keys(errors).length) return { ok: false, errors };
  return { ok: true, spec: parsed.data, mode: v.mode };
}

function identityFields(identity: IdentitySpec): Pick<ProbeFormValues, 'identityKind' | 'identityValue'> {
  if (identity === 'auto') return { identityKind: 'auto', identityValue: '' };
  if ('header' in identity) return { identityKind: 'header', identityValue: identity.header };
  if ('bodyRegex' in identity) return { identityKind: 'bodyRegex', identityValue: identity.bodyRegex };
  if ('jsonField' in identity) return { identityKind: 'jsonField', identityValue: identity.jsonField };
  return { identityKind: 'cookie', identityValue: identity.cookie };
}

/** The form that gives back `spec` (the inverse of `parseProbeForm`), so a stored run can be repeated from the page. */
export function probeFormFromSpec(spec: ProbeSpec, mode: ProbeMode = 'relay'): ProbeFormValues {
  const engineio = spec.engineio ?? engineioOptionsSchema.parse({});
  const route = spec.sessionRoute;
  const shiny = spec.shiny ?? shinyOptionsSchema.parse({});
  return {
    ...defaultProbeForm,
    target: spec.target,
    requests: String(spec.requests),
    intervalMs: String(spec.intervalMs),
    concurrency: String(spec.concurrency),
    timeoutMs: String(spec.timeoutMs),
    cookies: spec.cookies,
    ...identityFields(spec.identity),
    balancerCookie: spec.balancerCookie ?? '',
    stopAtFirstBreak: spec.stopAtFirstBreak,
    resolve: spec.resolve.map((r) => `${r.host}:${r.port}:${r.address}`).join('\n'),
    headers: Object.entries(spec.headers)
      .map(([name, value]) => `${name}: ${value}`)
      .join('\n'),
    mode,
    protocol: spec.protocol,
    ...(spec.protocol === 'engineio'
      ? { eioPath: engineio.path, eioVersion: engineio.version === 3 ? '3' : '4', eioNamespace: engineio.namespace, eioUpgrade: engineio.upgrade }
      : {}),
    ...(route
      ? {
          extractKind: route.extractJson !== undefined ? 'json' : 'regex',
          extractValue: route.extractJson ?? route.extractRegex ?? '',
          breakStatuses: route.breakStatuses.join(', '),
          bodyMarker: route.bodyMarker ?? '',
        }
      : {}),
    shinyRoute: shiny.route,
    shinyOutput: shiny.output ?? '',
    appSessionCookie: spec.appSessionCookie === 'auto' ? '' : spec.appSessionCookie,
  };
}
