// Shiny's session messages as a browser exchanges them: the client's `init` with the client data that makes the
// server render the page's outputs, the server's `config`, `values` and request `response`s, the session routes
// those hand out, and the requests a browser then makes on them. Pure.
import { z } from 'zod';
import type { ProtocolOutcome, ShinyRoute, ShinyRouteKind } from '../../types';
import { MAX_PAGE_IDS, type ShinyPage } from './page';

/** Size reported for outputs that report one; any laid-out size makes widgets and plots render. */
const OUTPUT_SIZE = { width: 800, height: 400 } as const;

/**
 * The `init` message: every output reported visible (Shiny renders only outputs the client shows), sized outputs
 * given a size, the URL facts a browser sends, and file inputs' empty values.
 */
export function initMessage(page: Pick<ShinyPage, 'outputIds' | 'sizedOutputs' | 'fileInputs'>, pageUrl: string): string {
  const url = new URL(pageUrl);
  const data: Record<string, unknown> = {};
  for (const id of page.outputIds) data[`.clientdata_output_${id}_hidden`] = false;
  for (const id of page.sizedOutputs) {
    data[`.clientdata_output_${id}_width`] = OUTPUT_SIZE.width;
    data[`.clientdata_output_${id}_height`] = OUTPUT_SIZE.height;
  }
  for (const id of page.fileInputs) data[`${id}:shiny.file`] = null;
  Object.assign(data, {
    '.clientdata_pixelratio': 1,
    '.clientdata_url_protocol': url.protocol,
    '.clientdata_url_hostname': url.hostname,
    '.clientdata_url_port': url.port,
    '.clientdata_url_pathname': url.pathname,
    '.clientdata_url_search': url.search,
    '.clientdata_url_hash_initial': '',
    '.clientdata_url_hash': '',
    '.clientdata_singletons': '',
    '.clientdata_allowDataUriScheme': true,
  });
  return JSON.stringify({ method: 'init', data });
}

/** Asks the server for an upload job, as a `fileInput` does before sending a file. */
export function uploadInitMessage(tag: number, file: { name: string; size: number; type: string }): string {
  return JSON.stringify({ method: 'uploadInit', args: [[file]], tag });
}

// Other systems' JSON: only what we use is checked, anything else is kept out of the way.
const configSchema = z.looseObject({ sessionId: z.string().min(1).max(200), workerId: z.string().max(200).nullable().catch(null) });
const responseSchema = z.looseObject({
  tag: z.number(),
  value: z.looseObject({ jobId: z.string().max(200).optional(), uploadUrl: z.string().max(2048).optional() }).nullable().optional(),
  error: z.string().max(2048).optional(),
});
const messageSchema = z.looseObject({
  config: configSchema.optional().catch(undefined),
  values: z.record(z.string(), z.unknown()).optional().catch(undefined),
  errors: z.record(z.string(), z.looseObject({ message: z.string().max(2048).catch('') })).optional().catch(undefined),
  response: responseSchema.optional().catch(undefined),
});

export type ServerMessage = z.output<typeof messageSchema>;

/** One server message; null when the text is not a JSON object (a cut frame, a SockJS control frame). */
export function readServerMessage(text: string): ServerMessage | null {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return null;
  }
  const r = messageSchema.safeParse(parsed);
  return r.success ? r.data : null;
}

const ROUTE = /^session\/([0-9a-fA-F]+)\/(dataobj|download|upload)\/([^/?#"'\s]+)(?:[/?][^"'\s]*)?$/;

/** The session route a string names, when it names one of `sessionId`'s. */
export function readRoute(text: string, sessionId: string, output?: string): ShinyRoute | null {
  const m = ROUTE.exec(text);
  if (!m || m[1] !== sessionId) return null;
  let id: string;
  try {
    id = decodeURIComponent(m[3]!);
  } catch {
    id = m[3]!;
  }
  return { kind: m[2] as ShinyRouteKind, output: output ?? id, url: text };
}

/**
 * Every session route a message hands out, wherever it sits (an output's value, a DT widget's Ajax URL, an input
 * message). A message cut short (its JSON unreadable) is searched as text. At most `MAX_PAGE_IDS`.
 */
export function findRoutes(text: string, sessionId: string): ShinyRoute[] {
  const found: ShinyRoute[] = [];
  const seen = new Set<string>();
  const take = (s: string) => {
    const route = readRoute(s, sessionId);
    if (route && found.length < MAX_PAGE_IDS && !seen.has(`${route.kind}/${route.output}`)) {
      seen.add(`${route.kind}/${route.output}`);
      found.push(route);
    }
  };
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    for (const m of text.matchAll(/session\/[0-9a-fA-F]+\/(?:dataobj|download|upload)\/[^"'\s\\]+/g)) take(m[0]);
    return found;
  }
  // Bounded walk: a values message is a tree of at most a few thousand nodes.
  const stack: unknown[] = [parsed];
  for (let visited = 0; stack.length > 0 && visited < 100_000; visited++) {
    const node = stack.pop();
    if (typeof node === 'string') {
      if (node.startsWith('session/')) take(node);
    } else if (Array.isArray(node)) {
      for (let i = node.length - 1; i >= 0; i--) stack.push(node[i]);
    } else if (node !== null && typeof node === 'object') {
      const values = Object.values(node);
      for (let i = values.length - 1; i >= 0; i--) stack.push(values[i]);
    }
  }
  return found;
}

const dtWidgetSchema = z.looseObject({ x: z.looseObject({ container: z.string().max(1_000_000) }) });

/** Columns of a DT table's header, from its widget value; null when the value does not say. */
export function dataTableColumns(values: Record<string, unknown> | undefined, output: string): number | null {
  const r = dtWidgetSchema.safeParse(values?.[output]);
  if (!r.success) return null;
  const thead = /<thead[\s\S]*?<\/thead>/i.exec(r.data.x.container)?.[0] ?? r.data.x.container;
  const n = (thead.match(/<th[\s>]/gi) ?? []).length;
  return n > 0 ? Math.min(n, 1000) : null;
}

/**
 * DataTables' server-side request as DT's client posts it: DataTables' own form fields (draw, columns, order, start,
 * length, search) plus the ones DT's Ajax hook adds.
 */
export function dataTablesForm(columns: number, draw: number): string {
  const p = new URLSearchParams();
  p.set('draw', String(draw));
  for (let i = 0; i < columns; i++) {
    p.set(`columns[${i}][data]`, String(i));
    p.set(`columns[${i}][name]`, '');
    p.set(`columns[${i}][searchable]`, 'true');
    p.set(`columns[${i}][orderable]`, 'true');
    p.set(`columns[${i}][search][value]`, '');
    p.set(`columns[${i}][search][regex]`, 'false');
  }
  p.set('start', '0');
  p.set('length', '10');
  p.set('search[value]', '');
  p.set('search[regex]', 'false');
  p.set('search[caseInsensitive]', 'true');
  p.set('search[smart]', 'true');
  p.set('escape', 'true');
  return p.toString();
}

/** What a browser sends on each kind of route: DT's Ajax POST, a download link's GET, an upload's POST of one file. */
export function routeRequest(kind: ShinyRouteKind, draw: number, columns: number | null): { method: string; headers: string[]; body: string | null } {
  switch (kind) {
    case 'dataobj':
      return {
        method: 'POST',
        headers: ['content-type', 'application/x-www-form-urlencoded; charset=UTF-8', 'x-requested-with', 'XMLHttpRequest', 'accept', 'application/json, text/javascript, */*; q=0.01'],
        body: dataTablesForm(columns ?? 0, draw),
      };
    case 'download':
      return { method: 'GET', headers: [], body: null };
    case 'upload':
      return { method: 'POST', headers: ['content-type', 'application/octet-stream', 'shiny-file-name', UPLOAD_FILE.name, 'shiny-file-type', UPLOAD_FILE.type], body: UPLOAD_BODY };
  }
}

const UPLOAD_BODY = 'stickyscope session-route check\n';
/** The file an upload route is sent: tiny, and named so it is recognisable in the app's upload folder. */
export const UPLOAD_FILE = { name: 'stickyscope-probe.txt', size: UPLOAD_BODY.length, type: 'text/plain' } as const;

/**
 * A session route's answer: 200 reached the process holding the session; 404 is Shiny's answer from a process that
 * has no such session (`<h1>Not Found</h1>`); anything else is an error of its own.
 */
export function classifyRoute(status: number): { outcome: ProtocolOutcome; answer: string } {
  if (status >= 200 && status < 300) return { outcome: 'ok', answer: `HTTP ${status}` };
  if (status === 404) return { outcome: 'break', answer: 'HTTP 404 (no such session on this process)' };
  return { outcome: 'error', answer: `HTTP ${status}` };
}

/** Routes in the order `auto` prefers them: DT tables (what users see fail), then downloads, then uploads. */
export const ROUTE_PREFERENCE: readonly ShinyRouteKind[] = ['dataobj', 'download', 'upload'];

/** The route to request: the kind and output asked for, else the first by preference. */
export function chooseRoute(routes: readonly ShinyRoute[], want: { route: 'auto' | ShinyRouteKind; output: string | null }): ShinyRoute | null {
  const kinds = want.route === 'auto' ? ROUTE_PREFERENCE : [want.route];
  for (const kind of kinds) {
    const found = routes.find((r) => r.kind === kind && (want.output === null || r.output === want.output));
    if (found) return found;
  }
  return null;
}
