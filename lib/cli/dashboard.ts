// A running stickyscope dashboard as the CLI's source: `--dashboard URL` (or STICKYSCOPE_DASHBOARD) makes `topology`,
// `lint` and `probe` read its API — its cluster, or its embedded demo lab — instead of Docker and Traefik.
import { z } from 'zod';
import { severities } from '@/lib/affinity/types';
import { InputError } from '@/lib/errors';
import type { TopologySummary } from './format-topology';

export const DASHBOARD_SETTING = 'STICKYSCOPE_DASHBOARD';

const READ_TIMEOUT_MS = 30_000;
/** Far above any real topology; a dashboard (or something else) answering more is not read further. */
const MAX_ANSWER_BYTES = 64 * 1024 * 1024;
const MAX_LISTED = 100_000;

/** The dashboard could not be reached, or did not answer as one. */
export class DashboardError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DashboardError';
  }
}

/** A dashboard's base URL; a path prefix (a dashboard behind a sub-path) is kept. `setting` names where it came from. */
export function parseDashboardUrl(raw: string, setting = '--dashboard'): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new InputError(`${setting} "${raw}" is not a URL; give the dashboard's address, e.g. http://stickyscope.internal:3000`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new InputError(`${setting} must be an http or https URL, not ${url.protocol.slice(0, -1)}`);
  if (url.username || url.password) throw new InputError(`${setting}: credentials in the URL are not supported`);
  url.search = '';
  url.hash = '';
  if (!url.pathname.endsWith('/')) url.pathname += '/';
  return url;
}

/** `--dashboard`, else STICKYSCOPE_DASHBOARD, else null (read the configured cluster). */
export function dashboardOption(flag: string | undefined, env: Readonly<Record<string, string | undefined>> = process.env): URL | null {
  if (flag !== undefined) return parseDashboardUrl(flag);
  const setting = env[DASHBOARD_SETTING]?.trim();
  return setting ? parseDashboardUrl(setting, DASHBOARD_SETTING) : null;
}

export type DashboardAnswer = { status: number; ok: boolean; json: unknown; endpoint: string };

export type RequestLimits = { timeoutMs: number; maxBytes: number };
const DEFAULT_LIMITS: RequestLimits = { timeoutMs: READ_TIMEOUT_MS, maxBytes: MAX_ANSWER_BYTES };

function causeOf(error: unknown, timeoutMs: number): string {
  if (error instanceof Error && error.name === 'TimeoutError') return `no answer within ${timeoutMs} ms`;
  if (error instanceof Error && error.cause instanceof Error) return error.cause.message;
  return error instanceof Error ? error.message : String(error);
}

async function readCappedText(response: Response, endpoint: string, maxBytes: number): Promise<string> {
  if (!response.body) return '';
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const next = await reader.read();
    if (next.done) break;
    size += next.value.byteLength;
    if (size > maxBytes) {
      await reader.cancel().catch(() => undefined);
      throw new DashboardError(`${endpoint} answered more than ${maxBytes} bytes; is it a stickyscope dashboard?`);
    }
    chunks.push(next.value);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** One request to the dashboard's API: a timeout, a size cap, and the answer's JSON (null when it is not JSON). */
export async function requestDashboard(dashboard: URL, apiPath: string, init: RequestInit = {}, limits: Partial<RequestLimits> = {}): Promise<DashboardAnswer> {
  const { timeoutMs, maxBytes } = { ...DEFAULT_LIMITS, ...limits };
  const endpoint = new URL(apiPath, dashboard).href;
  let text: string;
  let response: Response;
  try {
    response = await fetch(endpoint, { ...init, headers: { accept: 'application/json', ...init.headers }, signal: AbortSignal.timeout(timeoutMs) });
    text = await readCappedText(response, endpoint, maxBytes);
  } catch (error) {
    if (error instanceof DashboardError) throw error;
    throw new DashboardError(`${endpoint} could not be reached: ${causeOf(error, timeoutMs)}`);
  }
  let json: unknown = null;
  try {
    json = JSON.parse(text);
  } catch {
    // Reported by the caller with the status.
  }
  return { status: response.status, ok: response.ok, json, endpoint };
}

/** The dashboard's own error message from an error answer, when it gave one. */
export function answerMessage(answer: DashboardAnswer): string {
  const message = (answer.json as { error?: { message?: unknown } } | null)?.error?.message;
  return `${answer.endpoint} answered HTTP ${answer.status}${typeof message === 'string' ? `: ${message}` : ''}`;
}

async function getJson<T>(dashboard: URL, apiPath: string, schema: z.ZodType<T>, limits?: Partial<RequestLimits>): Promise<T> {
  const answer = await requestDashboard(dashboard, apiPath, {}, limits);
  if (!answer.ok) throw new DashboardError(answerMessage(answer));
  const parsed = schema.safeParse(answer.json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new DashboardError(`${answer.endpoint} did not answer as a stickyscope dashboard (${issue ? `${issue.path.join('.') || 'body'}: ${issue.message}` : 'unexpected JSON'})`);
  }
  return parsed.data;
}

// Liberal: a newer dashboard may answer more fields, or values this CLI does not know; only what it prints must be there.
const sourceSchema = z.looseObject({
  status: z.string(),
  message: z.string().optional().catch(undefined),
  ms: z.number().catch(0),
});
const labSourceSchema = z.looseObject({
  status: z.string(),
  message: z.string().optional().catch(undefined),
  ms: z.number().catch(0),
  balancer: z.object({ address: z.string(), port: z.number().int() }).optional().catch(undefined),
});
const sourcesSchema = z.looseObject({ docker: sourceSchema, traefik: sourceSchema, lab: labSourceSchema.optional().catch(undefined) });

const topologySchema = z.looseObject({
  sources: sourcesSchema,
  services: z
    .array(
      z.looseObject({
        name: z.string(),
        replicas: z.looseObject({ running: z.number().catch(0), desired: z.number().nullable().catch(null) }),
        endpointMode: z.string().catch('?'),
        sticky: z.looseObject({ cookieName: z.string(), secure: z.boolean().catch(false) }).nullable().catch(null),
        routers: z.array(z.looseObject({ hosts: z.array(z.string()).max(MAX_LISTED).catch([]) })).max(MAX_LISTED).catch([]),
      }),
    )
    .max(MAX_LISTED),
});
export type DashboardTopology = z.output<typeof topologySchema> & TopologySummary;

const findingSchema = z.looseObject({
  rule: z.string(),
  // A severity this CLI does not know still counts, as a warning: never an error it cannot explain, never dropped.
  severity: z.enum(severities).catch('warning'),
  service: z.string(),
  stack: z.string().nullable().catch(null),
  title: z.string(),
  message: z.string().catch(''),
  evidence: z.array(z.object({ label: z.string(), value: z.string() })).max(MAX_LISTED).catch([]),
  fix: z
    .object({
      labelsToAdd: z.record(z.string(), z.string()),
      labelsToRemove: z.array(z.string()).max(MAX_LISTED),
      note: z.string().optional(),
    })
    .nullable()
    .catch(null),
  docs: z.string().catch(''),
});
const findingsSchema = z.looseObject({ generatedAt: z.string().optional().catch(undefined), sources: sourcesSchema, findings: z.array(findingSchema).max(MAX_LISTED) });
export type DashboardFindings = z.output<typeof findingsSchema>;

export function readDashboardTopology(dashboard: URL, limits?: Partial<RequestLimits>): Promise<DashboardTopology> {
  return getJson(dashboard, 'api/topology', topologySchema, limits);
}

export function readDashboardFindings(dashboard: URL, limits?: Partial<RequestLimits>): Promise<DashboardFindings> {
  return getJson(dashboard, 'api/findings', findingsSchema, limits);
}
