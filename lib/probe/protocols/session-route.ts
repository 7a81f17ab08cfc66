// A session-scoped route as a probe lane (Shiny, DataTables server-side processing, upload endpoints): load the page,
// find the URL the page's session lives under, then request that URL once per step. The replica that rendered the
// page holds the session; any other answers 404/410 or a page saying the session is gone.
import { readJsonPath } from '../identity';
import type { ProbeSession } from '../record';
import type { ProbeSpec, SessionRouteOptions } from '../spec';
import type { ProbeRecord, ProbeTransport, ProbeUrl, ProtocolOutcome } from '../types';
import { toProbeUrl } from '../url';
import { withFacts, type ProbeLane } from './lane';

export type Extracted = { ok: true; url: string } | { ok: false; message: string };

/** Finds the session URL in a page and resolves it against the page's URL; it must stay on the page's origin. */
export function extractSessionUrl(body: string, pageUrl: string, options: Pick<SessionRouteOptions, 'extractRegex' | 'extractJson'>): Extracted {
  let raw: string | null;
  let how: string;
  if (options.extractRegex !== undefined) {
    how = `the pattern /${options.extractRegex}/`;
    const m = new RegExp(options.extractRegex).exec(body);
    raw = m ? (m[1] ?? m[0]) : null;
  } else {
    how = `the JSON path ${options.extractJson}`;
    raw = readJsonPath(body, options.extractJson ?? '');
  }
  if (raw === null || raw.trim() === '') return { ok: false, message: `the page did not contain the session URL: ${how} found nothing` };
  let url: URL;
  try {
    url = new URL(raw.trim().replace(/&amp;/g, '&'), pageUrl);
  } catch {
    return { ok: false, message: `${how} found "${raw.slice(0, 80)}", which is not a URL` };
  }
  url.hash = '';
  if (url.origin !== new URL(pageUrl).origin) {
    return { ok: false, message: `${how} found ${url.origin}, another origin than the page's; the probe only follows the page's own origin` };
  }
  return { ok: true, url: url.href };
}

/** A session route's answer: a break status or the marker means the replica did not hold the session. */
export function classifyRoute(status: number, body: string, options: Pick<SessionRouteOptions, 'breakStatuses' | 'bodyMarker'>): { outcome: ProtocolOutcome; answer: string } {
  if (options.breakStatuses.includes(status)) return { outcome: 'break', answer: `HTTP ${status}` };
  if (options.bodyMarker !== null && body.includes(options.bodyMarker)) return { outcome: 'break', answer: `HTTP ${status}, body says "${options.bodyMarker}"` };
  return { outcome: status >= 200 && status < 400 ? 'ok' : 'error', answer: `HTTP ${status}` };
}

export class SessionRouteLane implements ProbeLane {
  private readonly options: SessionRouteOptions;
  private readonly page: ProbeUrl;
  private readonly pageHeaders: readonly string[];
  private route: ProbeUrl | null = null;

  constructor(
    private readonly session: ProbeSession,
    private readonly spec: ProbeSpec,
    private readonly lane: number,
    readonly quota: number,
  ) {
    if (!spec.sessionRoute) throw new TypeError('a session-route probe needs its sessionRoute options');
    this.options = spec.sessionRoute;
    this.page = toProbeUrl(spec.target);
    this.pageHeaders = session.headersWith([]);
  }

  async step(index: number, transport: ProbeTransport, startedAt: number, signal?: AbortSignal): Promise<ProbeRecord> {
    const route = this.route;
    if (route === null) {
      const request = { url: this.page, method: 'GET', body: null, headers: this.pageHeaders, needsBody: true };
      const { record, response } = await this.session.exchange(index, transport, startedAt, request, signal);
      const facts = { phase: 'page' as const, lane: this.lane, session: null };
      if (!response) return withFacts(record, { ...facts, outcome: 'error', answer: null }, null);
      if (response.status < 200 || response.status >= 300) return withFacts(record, { ...facts, outcome: 'error', answer: `HTTP ${response.status}` }, null);
      const found = extractSessionUrl(response.bodyPrefix, this.page.href, this.options);
      if (!found.ok) return withFacts(record, { ...facts, outcome: 'error', answer: `HTTP ${response.status}` }, found.message);
      this.route = toProbeUrl(found.url);
      return withFacts(record, { ...facts, session: found.url, outcome: 'ok', answer: `HTTP ${response.status}` }, null);
    }
    const request = { url: route, method: this.spec.method, body: this.spec.body, headers: this.pageHeaders, needsBody: this.options.bodyMarker !== null };
    const { record, response } = await this.session.exchange(index, transport, startedAt, request, signal);
    const facts = { phase: 'route' as const, lane: this.lane, session: route.href };
    if (!response) return withFacts(record, { ...facts, outcome: 'error', answer: null }, null);
    return withFacts(record, { ...facts, ...classifyRoute(response.status, response.bodyPrefix, this.options) }, null);
  }
}
