// The server's front door: every request on either listener passes here before a route runs (scripts/server.mjs
// applies it). It answers only the dashboard's own Host names, refuses other sites' writes and malformed paths, keeps
// the share listener to share pages, puts the security headers on every response, and tells the app the socket's
// peer address in a header no client can supply. Pure apart from the nonce.
import type { IncomingHttpHeaders } from 'node:http';
import type { WebConfig } from './config';
import { PEER_HEADER } from './client-address';
import { crossSiteRefusal, isStateChanging } from './cross-site';
import { requestTargetProblem, targetPath } from './request-target';
import { newNonce, NON_PAGE_POLICY, pagePolicy, securityHeaders } from './security-headers';
import { servedOnShareListener } from './share-listener';
import { hostAllowed, isOwnOrigin, parseBaseUrl, toSite, type Site } from './site';

export type ListenerKind = 'main' | 'share';

export type FrontRequest = {
  method: string | undefined;
  url: string | undefined;
  headers: IncomingHttpHeaders;
  /** Header names and values as received (Node keeps only the first Host in `headers`). */
  rawHeaders: readonly string[];
  /** The socket's remote address. */
  peer: string | undefined;
  /** A WebSocket (or other) upgrade: checked like a write, since it opens a channel. */
  upgrade?: boolean;
};

export type FrontAnswer = {
  /** Response headers to set before anything else writes. */
  headers: Record<string, string>;
} & (
  | { admitted: true; /** Request headers to set, replacing what the client sent under those names. */ requestHeaders: Record<string, string> }
  | { admitted: false; status: 400 | 403 | 404 | 421; body: string }
);

export type Front = {
  ports: { main: number; share: number | null };
  /** The headers of a response that has no request to judge (one the server could not parse). */
  baseHeaders: Readonly<Record<string, string>>;
  admit(listener: ListenerKind, request: FrontRequest): FrontAnswer;
};

const SETTINGS_HINT = 'STICKYSCOPE_PUBLIC_URL or STICKYSCOPE_ALLOWED_HOSTS';
const SHARE_SETTINGS_HINT = 'STICKYSCOPE_SHARE_URL';

/** Paths whose responses are never HTML pages, so they get the policy that allows nothing. */
function isPagePath(path: string): boolean {
  return !path.startsWith('/api/') && !path.startsWith('/_next/static/');
}

function single(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

/** Distinct Host and Origin values remembered per listener; more (an attacker's variety) only empties the memory. */
const MAX_REMEMBERED = 256;

/** `decide` with its answers remembered: the relay's hot path then pays a map lookup, not URL parsing. */
function remembered(decide: (value: string) => boolean): (value: string) => boolean {
  const answers = new Map<string, boolean>();
  return (value) => {
    let answer = answers.get(value);
    if (answer === undefined) {
      answer = decide(value);
      if (answers.size >= MAX_REMEMBERED) answers.clear();
      answers.set(value, answer);
    }
    return answer;
  };
}

function hostHeaderCount(rawHeaders: readonly string[]): number {
  let count = 0;
  for (let i = 0; i < rawHeaders.length; i += 2) if (rawHeaders[i]!.length === 4 && rawHeaders[i]!.toLowerCase() === 'host') count++;
  return count;
}

export function createFront(config: WebConfig, machineNames: readonly string[], dev: boolean): Front {
  const gateFor = (site: Site) => ({
    allowsHost: remembered((host) => hostAllowed(site, host)),
    isOwnOrigin: remembered((origin) => isOwnOrigin(site, origin)),
  });
  const main = gateFor(toSite({ port: config.port, publicUrl: config.publicUrl, extraHosts: config.allowedHosts, machineNames }));
  // Without STICKYSCOPE_SHARE_URL, share links name the share port on the host the author reached the dashboard by,
  // so the share listener answers the dashboard's own names too, on its port.
  const publicHost = config.publicUrl === null ? undefined : parseBaseUrl(config.publicUrl)?.host;
  const dashboardNames = [...config.allowedHosts.map((entry) => entry.host), ...(publicHost === undefined ? [] : [publicHost])];
  const shareNames = dashboardNames.map((host) => ({ host, port: null }));
  const share =
    config.sharePort === null ? null : gateFor(toSite({ port: config.sharePort, publicUrl: config.shareUrl, extraHosts: shareNames, machineNames }));
  const gates: Record<ListenerKind, ReturnType<typeof gateFor> | null> = { main, share };

  function refuse(path: string, status: 400 | 403 | 404 | 421, code: string, message: string): FrontAnswer {
    const api = path.startsWith('/api/');
    const headers = securityHeaders(NON_PAGE_POLICY);
    headers['Content-Type'] = api ? 'application/json' : 'text/plain; charset=utf-8';
    headers['Cache-Control'] = 'no-store';
    const body = api ? JSON.stringify({ error: { code, message } }) : `${message}\n`;
    return { admitted: false, status, body, headers };
  }

  const baseHeaders = { ...securityHeaders(NON_PAGE_POLICY), 'Cache-Control': 'no-store' };

  return {
    ports: { main: config.port, share: config.sharePort },
    baseHeaders,
    admit(listener, request) {
      const gate = gates[listener];
      if (gate === null) throw new Error(`no ${listener} listener is configured`);
      const path = request.url?.startsWith('/') ? targetPath(request.url) : '/';
      const host = single(request.headers.host);
      // Two Host headers mean two different requests to two parsers (RFC 9112 asks for a 400).
      if (hostHeaderCount(request.rawHeaders) > 1) return refuse(path, 400, 'bad-request', 'the request has more than one Host header');
      if (host === undefined || !gate.allowsHost(host)) {
        const setting = listener === 'share' ? SHARE_SETTINGS_HINT : SETTINGS_HINT;
        const message =
          host === undefined
            ? `the request has no Host header; this dashboard answers only to its own names (see ${setting})`
            : `this dashboard does not answer to Host ${JSON.stringify(host.slice(0, 100))}; to reach it by that name, add it to ${setting}`;
        return refuse(path, 421, 'misdirected', message);
      }
      const problem = requestTargetProblem(request.url);
      if (problem !== null) return refuse(path, 400, 'bad-request', problem);
      if (listener === 'share' && !servedOnShareListener(path, dev)) {
        return refuse(path, 404, 'not-found', 'not found: this address serves shared reports only (/r/…)');
      }
      if (request.upgrade || isStateChanging(request.method)) {
        const refusal = crossSiteRefusal(gate.isOwnOrigin, single(request.headers['sec-fetch-site']), single(request.headers.origin));
        if (refusal !== null) return refuse(path, 403, 'cross-site', refusal);
      }
      const policy = isPagePath(path) ? pagePolicy(newNonce(), dev) : NON_PAGE_POLICY;
      const headers = securityHeaders(policy);
      // Next reads the nonce for its own scripts from the request's policy header.
      const requestHeaders = { [PEER_HEADER]: request.peer ?? '', 'content-security-policy': policy };
      return { admitted: true, requestHeaders, headers };
    },
  };
}
