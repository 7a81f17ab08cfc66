// `stickyscope probe <url>`: the probe engine in Node, for terminals and CI gates.
//
// Exit codes: 0 the expectation holds, 1 it does not, 2 bad input or the target could not be reached (every request
// failed to connect), 3 the expectation holds but `--report-to` could not publish the run, 130 stopped with Ctrl-C (the
// result so far is still printed). A failed publish never hides a failed probe: 1 and 2 stay what they are.
import { parseArgs } from 'node:util';
import { InputError } from '@/lib/errors';
import { parseResolveOverride, PROBE_LIMITS, probeProtocolChoices, runProbe, shinyTransportChoices, safeParseProbeSpec, toProbeJson, type ProbeErrorCode, type ProbeResult, type ProbeSpec, type ProbeSpecInput } from '@/lib/probe';
import { nodeTransportFor } from '@/lib/probe/protocols/upgrade-node';
import { toRunReport } from '@/lib/reports/run-export';
import { ExperimentError } from '@/lib/experiments/errors';
import { formatExperiment } from './format-experiment';
import { parseExperimentOption, prepareCliExperiment, toExperimentEvent, type ExperimentOption } from './experiment';
import { formatProbeResult, formatProgress } from './format-probe';
import { dashboardOption } from './dashboard';
import { formatServiceFindings, serviceFindings, withDashboard } from './probe-dashboard';
import { parseDashboardUrl, publishReport, type PublishedReport } from './publish-report';

export const probeUsage = `Usage: stickyscope probe <url> [options]

Sends requests like one browser user and reports whether one replica answered them all.

Options:
  --protocol P            auto (default): the first page decides: shiny for a Shiny page, engineio for a
                            socket.io page, else http; the result says which and why;
                          http: the same request each time;
                          engineio: a socket.io / engine.io session (polling handshake, namespace join,
                            one POST per request on the same sid, then a WebSocket upgrade);
                          session-route: load the page, then request its session-scoped URL;
                          shiny: load the page, open a Shiny session as a browser does, then request one
                            of its session routes (DT table, download, upload) while the session stays open
  --requests N            requests to send (default 100)
  --interval MS           least time between request starts (default 10)
  --concurrency N         requests in flight at once (default 1, one browser tab)
  --cookies browser|none  keep cookies with Chromium's rules (default), or none for the raw spread
  --identity SPEC         where the replica's name comes from: auto (default), header:NAME,
                          body:REGEX (first group), json:FIELD.PATH or cookie:NAME
  --resolve H:P:ADDR      connect to ADDR for host H port P, like curl; repeatable
  --expect sticky|spread  what counts as success (default sticky)
  --timeout MS            per-request timeout (default 10000)
  --header 'K: V'         extra request header; repeatable
  --stop-at-first-break   stop at the first request another replica answers
  --insecure              accept any TLS certificate
  --app-session auto|off|NAME
                          the app's session cookie, reported when the app re-issues it (default auto:
                          connect.sid, JSESSIONID, PHPSESSID, session, _session_id)
  --json                  print the result as JSON
  --report-to URL         publish the run as a report to the stickyscope dashboard at URL and print a
                          share link to it (the link shows cookie values, private addresses and
                          credentials redacted)
  --dashboard URL         read the stickyscope dashboard at URL (or STICKYSCOPE_DASHBOARD): a demo lab host is
                          reached through the lab's balancer, the routed service's sticky cookie names the
                          balancer's cookie, and the service's findings are printed beside the verdict
  --experiment ACTION     failover experiment on the pinned replica: kill-task, scale-down, restart or drain
                          (needs STICKYSCOPE_EXPERIMENTS=1; scale-down and drain are undone after the run)
  --experiment-at N       act after request N
  --experiment-service S  the service the pinned replica belongs to, when its name fits several

engine.io (--protocol engineio; the URL gives the origin and extra query parameters):
  --eio-path PATH         the server's engine.io path (default /socket.io/)
  --eio-version 3|4       4 for socket.io 3 and later (default), 3 for socket.io 2
  --namespace NSP         the namespace to join (default /)
  --no-upgrade            skip the WebSocket upgrade at the end of each session

Session routes (--protocol session-route; the URL is the page):
  --extract-regex RE      finds the session URL in the page (first group, else the whole match)
  --extract-json PATH     or reads it from a JSON page, e.g. data.url
  --break-status LIST     statuses meaning the replica did not know the session (default 404,410)
  --break-marker TEXT     text in a session route's body meaning the same

Shiny (--protocol shiny, or auto on a Shiny page; the URL is the app's page):
  --shiny-route R         the session route to request: auto (default: a server-side DT table, else a
                          download, else an upload), dataobj, download or upload
  --shiny-output ID       the output (or file input) whose route to request (default: the first one)
  --shiny-transport T     how a SockJS session travels (Shiny Server, Posit Connect, ShinyProxy): auto (default:
                          WebSocket, else xhr-streaming, else xhr-polling, as a browser falls back), websocket,
                          xhr-streaming or xhr-polling

Exit codes: 0 expectation holds, 1 it does not, 2 bad input, target unreachable or an experiment that could not
run, 3 expectation holds but
the report could not be published (--report-to; the reason goes to stderr), 130 stopped with Ctrl-C.
A failed publish keeps exit codes 1 and 2 as they are and still says why on stderr.`;

/** Failures that mean we never got a connection, so there is nothing to judge. */
const CONNECT_CODES: ReadonlySet<ProbeErrorCode> = new Set(['refused', 'dns', 'unreachable', 'tls']);
const CONNECT_TIMEOUT_MESSAGE = 'timed out connecting';

const SINGLE = [
  'requests',
  'interval',
  'concurrency',
  'cookies',
  'identity',
  'expect',
  'timeout',
  'protocol',
  'app-session',
  'eio-path',
  'eio-version',
  'namespace',
  'extract-regex',
  'extract-json',
  'break-status',
  'break-marker',
  'shiny-route',
  'shiny-output',
  'shiny-transport',
  'report-to',
  'dashboard',
  'experiment',
  'experiment-at',
  'experiment-service',
] as const;

/** The expectation held, but the run could not be published to the dashboard. */
export const PUBLISH_FAILED_EXIT = 3;

const FLAG_FOR_PATH: Record<string, string> = {
  target: '<url>',
  requests: '--requests',
  intervalMs: '--interval',
  concurrency: '--concurrency',
  timeoutMs: '--timeout',
  cookies: '--cookies',
  identity: '--identity',
  headers: '--header',
  resolve: '--resolve',
  expect: '--expect',
  protocol: '--protocol',
  appSessionCookie: '--app-session',
  engineio: '--protocol engineio',
  'engineio.path': '--eio-path',
  'engineio.version': '--eio-version',
  'engineio.namespace': '--namespace',
  sessionRoute: '--protocol session-route',
  'sessionRoute.extractRegex': '--extract-regex',
  'sessionRoute.extractJson': '--extract-json',
  'sessionRoute.breakStatuses': '--break-status',
  'sessionRoute.bodyMarker': '--break-marker',
  shiny: '--protocol shiny',
  'shiny.route': '--shiny-route',
  'shiny.output': '--shiny-output',
  'shiny.transport': '--shiny-transport',
};

function wholeNumber(flag: string, raw: string | undefined, min: number, max: number): number | undefined {
  if (raw === undefined) return undefined;
  if (!/^\d{1,9}$/.test(raw.trim())) throw new InputError(`--${flag} must be a whole number, not "${raw}"`);
  const n = Number(raw.trim());
  if (n < min || n > max) throw new InputError(`--${flag} must be between ${min} and ${max}, not ${n}`);
  return n;
}

function choice<const T extends string>(flag: string, raw: string | undefined, allowed: readonly T[]): T | undefined {
  if (raw === undefined) return undefined;
  if (!(allowed as readonly string[]).includes(raw)) throw new InputError(`--${flag} must be ${allowed.join(' or ')}, not "${raw}"`);
  return raw as T;
}

/** `auto`, `header:NAME`, `body:REGEX`, `json:PATH` or `cookie:NAME`, into the spec's identity shape. */
export function parseIdentityOption(raw: string): ProbeSpecInput['identity'] {
  if (raw === 'auto') return 'auto';
  const colon = raw.indexOf(':');
  const kind = colon === -1 ? raw : raw.slice(0, colon);
  const rest = colon === -1 ? '' : raw.slice(colon + 1);
  if (colon !== -1 && rest.length > 0) {
    if (kind === 'header') return { header: rest };
    if (kind === 'body') return { bodyRegex: rest };
    if (kind === 'json') return { jsonField: rest };
    if (kind === 'cookie') return { cookie: rest };
  }
  throw new InputError(`--identity "${raw}" should be auto, header:NAME, body:REGEX, json:FIELD or cookie:NAME`);
}

/** `Name: value` lines into a header record; a repeated name is a mistake, not a merge. */
export function parseHeaderOptions(raw: readonly string[]): Record<string, string> {
  const headers: Record<string, string> = {};
  const seen = new Set<string>();
  for (const line of raw) {
    const colon = line.indexOf(':');
    const name = colon === -1 ? '' : line.slice(0, colon).trim();
    if (!name) throw new InputError(`--header "${line}" should look like 'Name: value'`);
    if (seen.has(name.toLowerCase())) throw new InputError(`--header ${name} is given twice`);
    seen.add(name.toLowerCase());
    headers[name] = line.slice(colon + 1).trim();
  }
  return headers;
}

type ProtocolFlags = {
  'eio-path'?: string;
  'eio-version'?: string;
  namespace?: string;
  'no-upgrade'?: boolean;
  'extract-regex'?: string;
  'extract-json'?: string;
  'break-status'?: string;
  'break-marker'?: string;
  'shiny-route'?: string;
  'shiny-output'?: string;
  'shiny-transport'?: string;
};

function shinyInput(values: ProtocolFlags): ProbeSpecInput['shiny'] | null {
  const out: NonNullable<ProbeSpecInput['shiny']> = {};
  const route = choice('shiny-route', values['shiny-route'], ['auto', 'dataobj', 'download', 'upload'] as const);
  if (route) out.route = route;
  if (values['shiny-output'] !== undefined) out.output = values['shiny-output'];
  const transport = choice('shiny-transport', values['shiny-transport'], shinyTransportChoices);
  if (transport) out.transport = transport;
  return Object.keys(out).length ? out : null;
}

function engineioInput(values: ProtocolFlags): ProbeSpecInput['engineio'] | null {
  const out: NonNullable<ProbeSpecInput['engineio']> = {};
  if (values['eio-path'] !== undefined) out.path = values['eio-path'];
  const version = choice('eio-version', values['eio-version'], ['3', '4'] as const);
  if (version) out.version = version === '3' ? 3 : 4;
  if (values.namespace !== undefined) out.namespace = values.namespace;
  if (values['no-upgrade']) out.upgrade = false;
  return Object.keys(out).length ? out : null;
}

function sessionRouteInput(values: ProtocolFlags): ProbeSpecInput['sessionRoute'] | null {
  const out: NonNullable<ProbeSpecInput['sessionRoute']> = {};
  if (values['extract-regex'] !== undefined) out.extractRegex = values['extract-regex'];
  if (values['extract-json'] !== undefined) out.extractJson = values['extract-json'];
  if (values['break-status'] !== undefined) {
    out.breakStatuses = values['break-status'].split(',').map((part) => {
      if (!/^\s*\d{3}\s*$/.test(part)) throw new InputError(`--break-status should list HTTP statuses like 404,410, not "${values['break-status']}"`);
      return Number(part);
    });
  }
  if (values['break-marker'] !== undefined) out.bodyMarker = values['break-marker'];
  return Object.keys(out).length ? out : null;
}

export type ProbeCommandOptions = { spec: ProbeSpec; json: boolean; reportTo: URL | null; dashboard: URL | null; experiment: ExperimentOption | null } | { help: true };

function toSpec(input: ProbeSpecInput): ProbeSpec {
  const parsed = safeParseProbeSpec(input);
  if (!parsed.ok) {
    const issues = parsed.issues.map((issue) => {
      const m = /^([A-Za-z]+)(\.[^:]*)?: (.*)$/.exec(issue);
      const path = m ? `${m[1]}${(m[2] ?? '').replace(/\.\d+$/, '')}` : '';
      const flag = m ? (FLAG_FOR_PATH[path] ?? FLAG_FOR_PATH[m[1]!]) : undefined;
      return flag && m ? `${flag}: ${m[3]}` : issue;
    });
    const more = parsed.issueCount - issues.length;
    throw new InputError([...issues, ...(more > 0 ? [`(and ${more} more)`] : [])].join('\n'), issues, parsed.issueCount);
  }
  return parsed.spec;
}

/** Parses and validates the command line; throws `InputError` with a message meant for a person. */
export function parseProbeArgs(args: string[]): ProbeCommandOptions {
  let parsed;
  try {
    parsed = parseArgs({
      args,
      allowPositionals: true,
      strict: true,
      tokens: true,
      options: {
        requests: { type: 'string' },
        interval: { type: 'string' },
        concurrency: { type: 'string' },
        cookies: { type: 'string' },
        identity: { type: 'string' },
        resolve: { type: 'string', multiple: true },
        expect: { type: 'string' },
        timeout: { type: 'string' },
        header: { type: 'string', multiple: true },
        'stop-at-first-break': { type: 'boolean' },
        insecure: { type: 'boolean' },
        protocol: { type: 'string' },
        'app-session': { type: 'string' },
        'eio-path': { type: 'string' },
        'eio-version': { type: 'string' },
        namespace: { type: 'string' },
        'no-upgrade': { type: 'boolean' },
        'extract-regex': { type: 'string' },
        'extract-json': { type: 'string' },
        'break-status': { type: 'string' },
        'break-marker': { type: 'string' },
        'shiny-route': { type: 'string' },
        'shiny-transport': { type: 'string' },
        'shiny-output': { type: 'string' },
        json: { type: 'boolean' },
        'report-to': { type: 'string' },
        dashboard: { type: 'string' },
        experiment: { type: 'string' },
        'experiment-at': { type: 'string' },
        'experiment-service': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (error) {
    const e = error as { code?: string; message?: string };
    const option = /'(-[^' ]+)/.exec(e.message ?? '')?.[1];
    if (e.code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') throw new InputError(`unknown option ${option ?? ''}`.trim());
    if (e.code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') throw new InputError(`option ${option ?? ''} needs a value`.replace('  ', ' '));
    throw new InputError(e.message ?? String(error));
  }
  const { values, positionals, tokens } = parsed;
  if (values.help) return { help: true };
  for (const name of SINGLE) {
    if (tokens.filter((t) => t.kind === 'option' && t.name === name).length > 1) throw new InputError(`--${name} is given more than once`);
  }
  if (positionals.length === 0) throw new InputError('give the URL to probe, e.g. stickyscope probe http://app.example/');
  if (positionals.length > 1) throw new InputError(`give one URL to probe, not ${positionals.length}: ${positionals.join(' ')}`);

  const input: ProbeSpecInput = { target: positionals[0]! };
  const requests = wholeNumber('requests', values.requests, 1, PROBE_LIMITS.maxRequests);
  if (requests !== undefined) input.requests = requests;
  const interval = wholeNumber('interval', values.interval, 0, PROBE_LIMITS.maxIntervalMs);
  if (interval !== undefined) input.intervalMs = interval;
  const concurrency = wholeNumber('concurrency', values.concurrency, 1, PROBE_LIMITS.maxConcurrency);
  if (concurrency !== undefined) input.concurrency = concurrency;
  const timeout = wholeNumber('timeout', values.timeout, PROBE_LIMITS.minTimeoutMs, PROBE_LIMITS.maxTimeoutMs);
  if (timeout !== undefined) input.timeoutMs = timeout;
  const cookies = choice('cookies', values.cookies, ['browser', 'none'] as const);
  if (cookies) input.cookies = cookies;
  const expect = choice('expect', values.expect, ['sticky', 'spread'] as const);
  if (expect) input.expect = expect;
  if (values.identity !== undefined) input.identity = parseIdentityOption(values.identity);
  if (values.header) input.headers = parseHeaderOptions(values.header);
  if (values.resolve) {
    // Checked here too, so the message names the entry (the spec's union reports only "Invalid input").
    for (const entry of values.resolve) {
      const r = parseResolveOverride(entry);
      if (typeof r === 'string') throw new InputError(`--resolve ${r}`);
    }
    input.resolve = values.resolve;
  }
  if (values['stop-at-first-break']) input.stopAtFirstBreak = true;
  if (values.insecure) input.insecureTls = true;
  if (values['app-session'] !== undefined) input.appSessionCookie = values['app-session'];
  const protocol = choice('protocol', values.protocol, probeProtocolChoices);
  if (protocol) input.protocol = protocol;
  const engineio = engineioInput(values);
  if (engineio) {
    if (protocol !== 'engineio') throw new InputError('--eio-path, --eio-version, --namespace and --no-upgrade need --protocol engineio');
    input.engineio = engineio;
  }
  const sessionRoute = sessionRouteInput(values);
  if (sessionRoute) {
    if (protocol !== 'session-route') throw new InputError('--extract-regex, --extract-json, --break-status and --break-marker need --protocol session-route');
    input.sessionRoute = sessionRoute;
  }
  const shiny = shinyInput(values);
  if (shiny) {
    if (protocol !== undefined && protocol !== 'shiny' && protocol !== 'auto') throw new InputError('--shiny-route, --shiny-output and --shiny-transport need --protocol shiny or auto');
    input.shiny = shiny;
  }
  const reportTo = values['report-to'] === undefined ? null : parseDashboardUrl(values['report-to']);
  const spec = toSpec(input);
  const experiment = parseExperimentOption({ experiment: values.experiment, at: values['experiment-at'], service: values['experiment-service'] }, spec.requests);
  return { spec, json: values.json ?? false, reportTo, dashboard: dashboardOption(values.dashboard), experiment };
}

export async function probeCommand(args: string[]): Promise<number> {
  let options: ProbeCommandOptions;
  try {
    options = parseProbeArgs(args);
  } catch (error) {
    if (!(error instanceof InputError)) throw error;
    console.error(`stickyscope probe: ${error.message}\n\nRun "stickyscope probe --help" for the options.`);
    return 2;
  }
  if ('help' in options) {
    console.log(probeUsage);
    return 0;
  }
  const { json, reportTo, dashboard } = options;
  let spec = options.spec;
  let service: string | null = null;
  if (dashboard) {
    try {
      const completed = await withDashboard(spec, dashboard);
      ({ spec, service } = completed);
      for (const note of completed.notes) console.error(`stickyscope probe: ${note}`);
    } catch (error) {
      console.error(`stickyscope probe: ${error instanceof Error ? error.message : String(error)}`);
      return 2;
    }
  }

  let experiment: ReturnType<typeof prepareCliExperiment> | null = null;
  // The engine's records count ms from its start; the experiment's moment is put on the same clock.
  let runStart = 0;
  if (options.experiment) {
    try {
      experiment = prepareCliExperiment(options.experiment, spec.target, () => performance.now() - runStart);
    } catch (error) {
      if (!(error instanceof ExperimentError)) throw error;
      console.error(`stickyscope probe: ${error.message}`);
      return 2;
    }
  }

  const transport = nodeTransportFor(spec);
  const controller = new AbortController();
  let interrupted = false;
  const onSignal = () => {
    // A second Ctrl-C means "now".
    if (interrupted) process.exit(130);
    interrupted = true;
    controller.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);

  const showProgress = Boolean(process.stderr.isTTY) && !json;
  let connectFailures = 0;
  let firstError: string | null = null;
  let result: ProbeResult;
  try {
    runStart = performance.now();
    result = await runProbe(spec, transport, {
      signal: controller.signal,
      // A published report carries every record; otherwise the verdict is all a terminal needs.
      keepRecords: reportTo !== null,
      onRecord: (r) => {
        experiment?.onRecord(r);
        if (r.error && (CONNECT_CODES.has(r.error.code) || r.error.message === CONNECT_TIMEOUT_MESSAGE)) connectFailures++;
        if (r.error && firstError === null) firstError = r.error.message;
      },
      onProgress: showProgress ? (p) => process.stderr.write(`\r${formatProgress(p)}\x1b[K`) : undefined,
      progressIntervalMs: 100,
    });
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    if (showProgress) process.stderr.write('\r\x1b[K');
    await transport.close();
  }

  const unreachable = result.verdict.total > 0 && connectFailures === result.verdict.total;
  const failover = experiment ? await experiment.finish() : null;
  let published: PublishedReport | null = null;
  let publishProblem: string | null = null;
  if (reportTo) {
    const event = failover ? toExperimentEvent(failover) : null;
    try {
      published = await publishReport(reportTo, toRunReport(result, event ? [event] : []));
    } catch (error) {
      publishProblem = error instanceof Error ? error.message : String(error);
    }
  }
  const findings = service && dashboard ? await serviceFindings(dashboard, service).catch((error: unknown) => {
    console.error(`stickyscope probe: the dashboard's findings could not be read: ${error instanceof Error ? error.message : String(error)}`);
    return null;
  }) : null;
  if (json) {
    const extra = { ...(failover ? { experiment: failover } : {}), ...(published ? { report: published } : {}), ...(service && findings ? { dashboard: { service, findings } } : {}) };
    console.log(JSON.stringify({ target: result.url.href, durationMs: Math.round(result.durationMs), ...toProbeJson(result), ...extra }, null, 2));
  } else {
    if (!unreachable) process.stdout.write(formatProbeResult(result));
    if (failover) process.stdout.write(formatExperiment(failover));
    if (service && findings) process.stdout.write(formatServiceFindings(service, findings));
    if (published) {
      const expires = typeof published.shareExpiresAt === 'number' ? `  (the link expires ${new Date(published.shareExpiresAt).toISOString().slice(0, 10)})` : '';
      process.stdout.write(`Report: ${published.shareUrl}${expires}\n`);
    }
  }
  if (publishProblem) console.error(`stickyscope probe: the report was not published: ${publishProblem}`);

  let code: number;
  if (unreachable) {
    console.error(`stickyscope probe: cannot reach ${result.url.href}: ${firstError ?? 'every request failed to connect'}`);
    code = 2;
  } else if (result.ended === 'aborted') {
    console.error(`stickyscope probe: stopped after ${result.verdict.total} of ${spec.requests} requests`);
    code = 130;
  } else {
    code = result.expectation.holds ? 0 : 1;
  }
  if (failover && !failover.ok) {
    console.error(`stickyscope probe: the ${failover.action} experiment did not run: ${failover.message}`);
    return 2;
  }
  return code === 0 && publishProblem ? PUBLISH_FAILED_EXIT : code;
}
