// The CLI reading a dashboard's API: a real HTTP server on 127.0.0.1 plays dashboards that answer well, answer more
// than this CLI knows, fail, answer something else entirely, answer too much, or never answer.
import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InputError } from '@/lib/errors';
import { parseProbeSpec } from '@/lib/probe/spec';
import { closedLoopbackPort, listenOnLoopback } from '@/lib/test/loopback';
import { parseFlags } from './args';
import { unreadableReason } from './cluster';
import { DashboardError, dashboardOption, parseDashboardUrl, readDashboardFindings, readDashboardTopology } from './dashboard';
import { formatTopology } from './format-topology';
import { serviceFindings, withDashboard } from './probe-dashboard';

const LAB_PORT = 45_123;

const labTopology = {
  generatedAt: '2026-12-04T00:00:00.000Z',
  sources: {
    docker: { status: 'off', ms: 0, message: 'No Docker connection configured.' },
    traefik: { status: 'off', ms: 0 },
    lab: { status: 'ok', ms: 1, balancer: { address: '127.0.0.1', port: LAB_PORT } },
    futureSource: { status: 'ok' },
  },
  nodes: [],
  services: [
    {
      name: 'sticky-ok',
      replicas: { running: 3, desired: 3 },
      endpointMode: 'vip',
      sticky: { cookieName: 'lab_sticky', secure: false, somethingNew: 1 },
      routers: [{ name: 'sticky-ok', hosts: ['Sticky-OK.lab.test'] }],
      lab: { scenario: 'sticky-ok', description: 'works', edited: false },
    },
    { name: 'no-sticky', replicas: { running: 2, desired: 2 }, endpointMode: 'vip', sticky: null, routers: [{ hosts: ['no-sticky.lab.test'] }], lab: { scenario: 'no-sticky' } },
    { name: 'prod_web', replicas: { running: 2, desired: null }, endpointMode: 'dnsrr', sticky: 'odd', routers: [{ hosts: ['shop.example.com'] }] },
  ],
};

const findings = {
  generatedAt: '2026-12-04T00:00:00.000Z',
  sources: labTopology.sources,
  counts: { error: 1, warning: 0, info: 0 },
  findings: [
    { rule: 'no-sticky', severity: 'error', service: 'no-sticky', stack: null, title: 'No sticky sessions', message: 'm', evidence: [{ label: 'replicas', value: '2' }], fix: { labelsToAdd: { a: 'b' }, labelsToRemove: [] }, docs: 'd' },
    { rule: 'rule-from-a-newer-version', severity: 'critical', service: 'sticky-ok', title: 'New', message: 'n', evidence: 'odd', fix: 'odd', docs: 'd' },
  ],
};

let server: http.Server;
let base = '';

beforeAll(async () => {
  server = http.createServer((req, res) => {
    const json = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    switch (req.url) {
      case '/lab/api/topology':
        return json(200, labTopology);
      case '/lab/api/findings':
        return json(200, findings);
      case '/failing/api/topology':
        return json(502, { error: { code: 'unreachable', message: 'Cannot connect to the Docker Engine' } });
      case '/big/api/topology':
        res.writeHead(200, { 'content-type': 'application/json' });
        res.write(`{"sources":${' '.repeat(4096)}`);
        return res.end(' '.repeat(4096));
      case '/slow/api/topology':
        return; // Never answers.
      default:
        res.writeHead(200, { 'content-type': 'text/html' });
        return res.end('<html>a login page</html>');
    }
  });
  base = await listenOnLoopback(server);
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((r) => server.close(() => r()));
});

const at = (path: string) => parseDashboardUrl(`${base}${path}`);

describe('where the CLI reads from', () => {
  it('takes --dashboard over STICKYSCOPE_DASHBOARD, and neither means the configured cluster', () => {
    expect(dashboardOption('http://dash.test:3000/x', { STICKYSCOPE_DASHBOARD: 'http://other.test/' })?.href).toBe('http://dash.test:3000/x/');
    expect(dashboardOption(undefined, { STICKYSCOPE_DASHBOARD: ' http://other.test ' })?.href).toBe('http://other.test/');
    expect(dashboardOption(undefined, {})).toBeNull();
    expect(() => dashboardOption(undefined, { STICKYSCOPE_DASHBOARD: 'other.test' })).toThrow(/STICKYSCOPE_DASHBOARD "other.test" is not a URL/);
    expect(() => dashboardOption('file:///etc/passwd')).toThrow(/--dashboard must be an http or https URL/);
    expect(() => dashboardOption('http://u:p@dash.test/')).toThrow(/credentials/);
  });

  it('parses --dashboard as a value and still refuses anything it does not name', () => {
    expect(parseFlags(['--json', '--dashboard', 'http://d.test/'], ['json'], ['dashboard'])).toEqual({ json: true, dashboard: 'http://d.test/' });
    expect(parseFlags(['--dashboard=http://d.test/'], ['json'], ['dashboard'])).toEqual({ json: false, dashboard: 'http://d.test/' });
    expect(() => parseFlags(['--dashboard'], ['json'], ['dashboard'])).toThrow(InputError);
    expect(() => parseFlags(['--dashbord', 'x'], ['json'], ['dashboard'])).toThrow(/unknown option --dashbord x/);
    expect(() => parseFlags(['--json=1'], ['json'])).toThrow(InputError);
  });

  it('says why there is nothing to show: no cluster, a lab that is down, or Docker failing', () => {
    const off = { status: 'off' };
    expect(unreadableReason({ docker: off, traefik: off }, null)).toMatch(/no cluster configured: set DOCKER_HOST .* --dashboard URL or STICKYSCOPE_DASHBOARD/);
    expect(unreadableReason({ docker: off, traefik: off }, at('/x/'))).toMatch(/has no cluster configured and no demo lab/);
    expect(unreadableReason({ docker: off, traefik: off, lab: { status: 'ok' } }, null)).toBeNull();
    expect(unreadableReason({ docker: off, traefik: off, lab: { status: 'error', message: 'port in use' } }, null)).toBe('the demo lab is not running: port in use');
    expect(unreadableReason({ docker: { status: 'error', message: 'EACCES' }, traefik: off, lab: { status: 'ok' } }, null)).toBe('EACCES');
    expect(unreadableReason({ docker: { status: 'ok' }, traefik: { status: 'error' } }, null)).toBeNull();
  });
});

describe('a dashboard as the source', () => {
  it('reads its topology, keeping what this CLI prints and tolerating what it does not know', async () => {
    const topology = await readDashboardTopology(at('/lab'));
    expect(topology.services.map((s) => s.name)).toEqual(['sticky-ok', 'no-sticky', 'prod_web']);
    expect(topology.services[2]?.sticky).toBeNull();
    const text = formatTopology(topology);
    expect(text).toContain('lab      ok');
    expect(text).toMatch(/sticky-ok\s+3\/3\s+vip\s+sticky cookie lab_sticky\s+Sticky-OK\.lab\.test/);
    expect(text).toMatch(/prod_web\s+2\/global\s+dnsrr NOT sticky/);
  });

  it('reads its findings; an unknown severity counts as a warning and an unreadable fix is dropped, not the finding', async () => {
    const { findings: read } = await readDashboardFindings(at('/lab'));
    expect(read).toHaveLength(2);
    expect(read[1]).toMatchObject({ rule: 'rule-from-a-newer-version', severity: 'warning', evidence: [], fix: null, stack: null });
    expect(await serviceFindings(at('/lab'), 'no-sticky')).toMatchObject([{ rule: 'no-sticky' }]);
  });

  it('turns each way of failing into one message that names the endpoint', async () => {
    await expect(readDashboardTopology(at('/failing'))).rejects.toThrow(`${base}/failing/api/topology answered HTTP 502: Cannot connect to the Docker Engine`);
    await expect(readDashboardTopology(at('/login'))).rejects.toThrow(/login\/api\/topology did not answer as a stickyscope dashboard/);
    await expect(readDashboardTopology(at('/big'), { maxBytes: 4096 })).rejects.toThrow(/answered more than 4096 bytes/);
    await expect(readDashboardTopology(at('/slow'), { timeoutMs: 300 })).rejects.toThrow(/could not be reached: no answer within 300 ms/);
    const closed = new URL(`http://127.0.0.1:${await closedLoopbackPort()}/`);
    await expect(readDashboardTopology(closed)).rejects.toThrow(DashboardError);
    await expect(readDashboardTopology(closed)).rejects.toThrow(/could not be reached: .*ECONNREFUSED/);
  });
});

describe('probe --dashboard', () => {
  it('reaches a demo lab host through the lab balancer and names the service\'s sticky cookie', async () => {
    const spec = parseProbeSpec({ target: 'http://sticky-ok.lab.test/app?x=1' });
    const { spec: completed, service, notes } = await withDashboard(spec, at('/lab'));
    expect(service).toBe('sticky-ok');
    expect(completed.target).toBe(`http://sticky-ok.lab.test:${LAB_PORT}/app?x=1`);
    expect(completed.resolve).toEqual([{ host: 'sticky-ok.lab.test', port: LAB_PORT, address: '127.0.0.1' }]);
    expect(completed.balancerCookie).toBe('lab_sticky');
    expect(notes.join('\n')).toContain(`connecting to its balancer at 127.0.0.1:${LAB_PORT}`);
  });

  it('keeps what the user gave: their own override and cookie name win', async () => {
    const spec = parseProbeSpec({ target: `http://sticky-ok.lab.test:${LAB_PORT}/`, resolve: [`sticky-ok.lab.test:${LAB_PORT}:127.0.0.2`], balancerCookie: 'mine' });
    const { spec: completed } = await withDashboard(spec, at('/lab'));
    expect(completed.resolve).toEqual([{ host: 'sticky-ok.lab.test', port: LAB_PORT, address: '127.0.0.2' }]);
    expect(completed.balancerCookie).toBe('mine');
  });

  it('refuses a lab host on another port, and probes an unknown host as given', async () => {
    await expect(withDashboard(parseProbeSpec({ target: 'http://sticky-ok.lab.test:8080/' }), at('/lab'))).rejects.toThrow(new RegExp(`listens on port ${LAB_PORT}, not 8080`));
    const elsewhere = parseProbeSpec({ target: 'http://elsewhere.test/' });
    const result = await withDashboard(elsewhere, at('/lab'));
    expect(result.spec).toEqual(elsewhere);
    expect(result.service).toBeNull();
    // A routed service that is not the lab's: no override, but its findings and cookie still apply.
    const shop = await withDashboard(parseProbeSpec({ target: 'https://shop.example.com/' }), at('/lab'));
    expect(shop.service).toBe('prod_web');
    expect(shop.spec.resolve).toEqual([]);
  });
});
