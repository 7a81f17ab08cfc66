import { describe, expect, it } from 'vitest';
import { parseProbeArgs, probeUsage } from './probe';

const spec = (args: string[]) => {
  const r = parseProbeArgs(args);
  if ('help' in r) throw new Error('help');
  return r.spec;
};

describe('stickyscope probe: protocol options', () => {
  it('--protocol engineio with its options', () => {
    expect(spec(['http://chat.test/', '--protocol', 'engineio', '--eio-path', '/ws/', '--eio-version', '3', '--namespace', '/chat', '--no-upgrade'])).toMatchObject({
      protocol: 'engineio',
      engineio: { path: '/ws/', version: 3, namespace: '/chat', upgrade: false },
    });
    expect(spec(['http://chat.test/', '--protocol', 'engineio']).engineio).toBeUndefined();
  });

  it('--protocol session-route with its options, and --app-session', () => {
    expect(
      spec(['http://shiny.test/', '--protocol', 'session-route', '--extract-regex', 'session/(\\w+)', '--break-status', '404,500', '--break-marker', 'gone', '--app-session', 'JSESSIONID']),
    ).toMatchObject({
      protocol: 'session-route',
      sessionRoute: { extractRegex: 'session/(\\w+)', breakStatuses: [404, 500], bodyMarker: 'gone' },
      appSessionCookie: 'JSESSIONID',
    });
  });

  it('--shiny-transport forces one of SockJS\'s transports; auto by default; checked against the known ones', () => {
    expect(spec(['http://shiny.test/app/', '--shiny-transport', 'xhr-polling']).shiny).toEqual({ route: 'auto', output: null, transport: 'xhr-polling' });
    expect(spec(['http://shiny.test/app/', '--protocol', 'shiny', '--shiny-transport', 'xhr-streaming']).shiny?.transport).toBe('xhr-streaming');
    expect(spec(['http://shiny.test/app/', '--protocol', 'shiny']).shiny).toBeUndefined();
    expect(() => parseProbeArgs(['http://a.test/', '--shiny-transport', 'eventsource'])).toThrow('--shiny-transport must be auto or websocket or xhr-streaming or xhr-polling, not "eventsource"');
    expect(() => parseProbeArgs(['http://a.test/', '--protocol', 'http', '--shiny-transport', 'xhr-polling'])).toThrow('--shiny-route, --shiny-output and --shiny-transport need --protocol shiny or auto');
  });

  it('explains misplaced and invalid protocol options with the flag', () => {
    expect(() => parseProbeArgs(['http://a.test/', '--namespace', '/x'])).toThrow(/need --protocol engineio/);
    expect(() => parseProbeArgs(['http://a.test/', '--protocol', 'engineio', '--extract-json', 'a'])).toThrow(/need --protocol session-route/);
    expect(() => parseProbeArgs(['http://a.test/', '--protocol', 'gopher'])).toThrow('--protocol must be auto or http or engineio or session-route or shiny, not "gopher"');
    expect(() => parseProbeArgs(['http://a.test/', '--protocol', 'engineio', '--namespace', 'chat'])).toThrow(/^--namespace: should be a namespace/);
    expect(() => parseProbeArgs(['http://a.test/', '--protocol', 'session-route'])).toThrow(/^--protocol session-route: a session-route probe needs/);
    expect(() => parseProbeArgs(['http://a.test/', '--protocol', 'session-route', '--extract-regex', 'x', '--break-status', '4o4'])).toThrow(/--break-status should list/);
  });

  it('the help lists them', () => {
    for (const flag of ['--protocol P', '--shiny-route', '--shiny-output', '--shiny-transport', '--eio-path', '--eio-version', '--namespace', '--no-upgrade', '--extract-regex', '--extract-json', '--break-status', '--break-marker', '--app-session']) {
      expect(probeUsage).toContain(flag);
    }
  });
});

describe('stickyscope probe: repeated flags', () => {
  it('--header and --resolve take as many as the probe spec does, and say which flag went over', () => {
    const headers = (n: number) => Array.from({ length: n }, (_, i) => ['--header', `X-H${i}: v`]).flat();
    expect(Object.keys(spec(['http://a.test/', ...headers(64)]).headers)).toHaveLength(64);
    expect(() => parseProbeArgs(['http://a.test/', ...headers(65)])).toThrow(/^--header: at most 64 headers$/);
    const resolve = Array.from({ length: 17 }, () => ['--resolve', 'a.test:80:127.0.0.1']).flat();
    expect(() => parseProbeArgs(['http://a.test/', ...resolve])).toThrow(/^--resolve: Too big: expected array to have <=16 items$/);
  });
});
