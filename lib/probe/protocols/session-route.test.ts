import { describe, expect, it } from 'vitest';
import { runProbe } from '../engine';
import { parseProbeSpec, type ProbeSpecInput } from '../spec';
import type { ProbeTransport, TransportResult } from '../types';
import { classifyRoute, extractSessionUrl } from './session-route';

// What a DataTables widget with server-side processing puts in a Shiny page.
const SHINY_PAGE = `<html><body><script type="application/json" data-for="tbl">{"x":{"options":{"ajax":{"url":"session/2f1c9a/dataobj/tbl?w=&amp;nonce=ab12","type":"POST"}}}}</script></body></html>`;

describe('extractSessionUrl', () => {
  const page = 'http://shiny.test/app/?x=1';

  it('takes the first group of a regex, resolved against the page and unescaped', () => {
    expect(extractSessionUrl(SHINY_PAGE, page, { extractRegex: '"url":"(session/[^"]+)"' })).toEqual({
      ok: true,
      url: 'http://shiny.test/app/session/2f1c9a/dataobj/tbl?w=&nonce=ab12',
    });
    expect(extractSessionUrl('see /s/abc/data', page, { extractRegex: '/s/\\w+/data' })).toEqual({ ok: true, url: 'http://shiny.test/s/abc/data' });
  });

  it('reads a JSON path', () => {
    expect(extractSessionUrl('{"session":{"data":"/api/s/9/rows"}}', page, { extractJson: 'session.data' })).toEqual({
      ok: true,
      url: 'http://shiny.test/api/s/9/rows',
    });
  });

  it('says what found nothing, and refuses another origin', () => {
    const none = extractSessionUrl('<html></html>', page, { extractRegex: 'session/(\\w+)' });
    expect(none).toEqual({ ok: false, message: 'the page did not contain the session URL: the pattern /session/(\\w+)/ found nothing' });
    const json = extractSessionUrl('{"a":1}', page, { extractJson: 'b.c' });
    expect(json.ok).toBe(false);
    const away = extractSessionUrl('"url":"https://evil.test/steal"', page, { extractRegex: '"url":"([^"]+)"' });
    expect(away).toMatchObject({ ok: false, message: expect.stringMatching(/another origin/) });
  });
});

describe('classifyRoute', () => {
  const options = { breakStatuses: [404, 410], bodyMarker: null };
  it('a break status or the marker is a break; other failures are errors', () => {
    expect(classifyRoute(200, '{}', options)).toEqual({ outcome: 'ok', answer: 'HTTP 200' });
    expect(classifyRoute(404, '', options)).toEqual({ outcome: 'break', answer: 'HTTP 404' });
    expect(classifyRoute(410, '', options).outcome).toBe('break');
    expect(classifyRoute(500, '', options).outcome).toBe('error');
    expect(classifyRoute(200, '{"error":"invalid session"}', { ...options, bodyMarker: 'invalid session' })).toEqual({
      outcome: 'break',
      answer: 'HTTP 200, body says "invalid session"',
    });
  });
});

describe('session-route lanes', () => {
  /** Two replicas behind round robin, or pinned by an inserted `SRV` cookie; each knows only the tokens of the pages it rendered. */
  function shinyLab(opts: { sticky: boolean } = { sticky: false }) {
    const tokens = [new Set<string>(), new Set<string>()];
    let next = 0;
    let issued = 0;
    const transport: ProbeTransport = {
      seesCookies: true,
      async send(req): Promise<TransportResult> {
        const pinned = opts.sticky ? /(?:^|; )SRV=s(\d)/.exec(req.cookieHeader ?? '') : null;
        const i = pinned ? Number(pinned[1]) : next++ % 2;
        const setCookie = opts.sticky && !pinned ? [`SRV=s${i}; Path=/`] : [];
        const reply = (status: number, body: string): TransportResult => ({ ok: true, status, headers: { 'x-replica': `shiny-${i + 1}` }, setCookie, bodyPrefix: body, bodyTruncated: false, ttfbMs: null });
        const m = /^\/app\/session\/(\w+)\/data/.exec(req.url.pathAndQuery);
        if (m) return tokens[i]!.has(m[1]!) ? reply(200, '{"rows":[]}') : reply(404, 'not found');
        const token = `t${++issued}`;
        tokens[i]!.add(token);
        return reply(200, `<script>{"ajax":{"url":"session/${token}/data"}}</script>`);
      },
    };
    return transport;
  }

  const routeSpec = (over: Pick<ProbeSpecInput, 'requests' | 'concurrency'>) =>
    parseProbeSpec({ target: 'http://shiny.test/app/', protocol: 'session-route', sessionRoute: { extractRegex: '"url":"(session/[^"]+)"' }, intervalMs: 0, ...over });

  it('loads the page once per lane, then requests its session URL: round robin breaks at request 2', async () => {
    const r = await runProbe(routeSpec({ requests: 6 }), shinyLab());
    expect(r.records.map((x) => [x.protocol?.phase, x.status, x.protocol?.outcome])).toEqual([
      ['page', 200, 'ok'],
      ['route', 404, 'break'],
      ['route', 200, 'ok'],
      ['route', 404, 'break'],
      ['route', 200, 'ok'],
      ['route', 404, 'break'],
    ]);
    expect(r.records[1]!.protocol?.session).toBe('http://shiny.test/app/session/t1/data');
    expect(r.verdict).toMatchObject({ status: 'fail', firstBreakAt: 2 });
    expect(r.diagnosis[0]).toMatchObject({ code: 'session-route-lost', atIndex: 2 });
    expect(r.diagnosis[0]!.message).toBe(
      'request 2 for the session URL http://shiny.test/app/session/t1/data answered HTTP 404: the balancer sent it to a replica that does not hold the session (the page came from shiny-1 at request 1; this request reached shiny-2); 3 of 5 session requests broke',
    );
  });

  it('concurrent lanes are separate users: sticky keeps every lane on its page\'s replica, round robin breaks', async () => {
    const spec = routeSpec({ requests: 20, concurrency: 4 });
    const sticky = await runProbe(spec, shinyLab({ sticky: true }));
    expect(sticky.records.filter((x) => x.protocol?.outcome !== 'ok')).toEqual([]);
    expect(sticky.records.filter((x) => x.protocol?.phase === 'page')).toHaveLength(4);
    expect(sticky.verdict).toMatchObject({ status: 'pass', firstBreakAt: null, switches: 0, replicas: { 'shiny-1': 10, 'shiny-2': 10 } });
    expect(sticky.cookies.cookies.find((c) => c.name === 'SRV')).toMatchObject({ setCount: 4, changes: 0 });
    // Four lanes taking turns over two replicas would each meet the same replica every time; three do not.
    const roundRobin = await runProbe({ ...spec, concurrency: 3 }, shinyLab());
    expect(roundRobin.verdict.status).toBe('fail');
    expect(roundRobin.diagnosis[0]).toMatchObject({ code: 'session-route-lost', atIndex: roundRobin.verdict.firstBreakAt });
  });

  it('a page without the URL is an error that explains itself, and the next step loads the page again', async () => {
    const spec = parseProbeSpec({ target: 'http://shiny.test/app/', protocol: 'session-route', sessionRoute: { extractJson: 'x.url' }, requests: 2, intervalMs: 0 });
    const r = await runProbe(spec, shinyLab());
    expect(r.records.map((x) => x.protocol?.phase)).toEqual(['page', 'page']);
    expect(r.records[0]!.error).toMatchObject({ code: 'protocol', message: 'the page did not contain the session URL: the JSON path x.url found nothing' });
    expect(r.diagnosis[0]).toMatchObject({ code: 'session-url-not-found', severity: 'error' });
  });
});
