import { describe, expect, it } from 'vitest';
import { CREDENTIAL_HEADERS, CREDENTIAL_PARAMS } from '@/lib/net/test/credential-names';
import { probeFormFromSpec } from '@/lib/probe/form';
import { rec } from '@/lib/probe/test/records';
import { testRecords, testSpec, testTopology } from '@/lib/reports/test/fixtures';
import { parseProbeSearchParams } from '../../probes/search-params';
import { isLabTarget, rerunProbeHref } from './rerun-probe';

function prefillOf(href: string) {
  const url = new URL(href, 'http://dashboard.test');
  expect(url.pathname).toBe('/probes');
  const sp: Record<string, string[]> = {};
  for (const [k, v] of url.searchParams) (sp[k] ??= []).push(v);
  return parseProbeSearchParams(sp);
}

describe('rerunProbeHref', () => {
  it('prefills every field of the stored spec and its service, without the Authorization header or the token', () => {
    const spec = testSpec({
      protocol: 'session-route',
      sessionRoute: { extractJson: 'ajax.url', breakStatuses: [404, 410, 500], bodyMarker: 'expired' },
      appSessionCookie: 'PHPSESSID',
      identity: { header: 'X-Pod' },
      intervalMs: 25,
      stopAtFirstBreak: true,
    });
    const { form, serviceId } = prefillOf(rerunProbeHref({ spec, records: testRecords(3), topology: testTopology() }, null));
    expect(form).toEqual({ ...probeFormFromSpec(spec), headers: 'X-Trace: yes', target: 'http://10.0.1.5:8080/login' });
    expect(serviceId).toBe('svc1');
  });

  it('repeats a direct-mode run in direct mode', () => {
    const spec = testSpec({ headers: {} });
    const { form, serviceId } = prefillOf(rerunProbeHref({ spec, records: [rec(1, 'a', { transport: 'direct' })], topology: null }, null));
    expect(form.mode).toBe('direct');
    expect(serviceId).toBeNull();
  });

  it('points a demo lab run at the lab balancer’s current port, and leaves other runs alone', () => {
    const spec = testSpec({
      target: 'http://split-routers.lab.test:40123/',
      resolve: ['split-routers.lab.test:40123:127.0.0.1'],
      headers: {},
      protocol: 'engineio',
      engineio: { path: '/socket.io/', version: 4, namespace: '/', upgrade: false },
    });
    expect(isLabTarget(spec.target)).toBe(true);
    const report = { spec, records: [], topology: null };
    const { form } = prefillOf(rerunProbeHref(report, { address: '127.0.0.1', port: 45555 }));
    expect(form).toMatchObject({ target: 'http://split-routers.lab.test:45555/', resolve: 'split-routers.lab.test:45555:127.0.0.1', protocol: 'engineio', eioUpgrade: false });
    expect(prefillOf(rerunProbeHref(report, null)).form.target).toBe('http://split-routers.lab.test:40123/');

    const cluster = testSpec({ headers: {} });
    expect(isLabTarget(cluster.target)).toBe(false);
    expect(prefillOf(rerunProbeHref({ spec: cluster, records: [], topology: null }, { address: '127.0.0.1', port: 45555 })).form.target).toBe('http://10.0.1.5:8080/login');
  });

  it('repeats a Shiny run with its protocol, route kind and output, on the lab balancer of the moment', () => {
    for (const protocol of ['shiny', 'auto'] as const) {
      const spec = testSpec({
        target: 'http://shiny-dt.lab.test:40123/',
        resolve: ['shiny-dt.lab.test:40123:127.0.0.1'],
        headers: {},
        protocol,
        shiny: { route: 'download', output: 'report' },
      });
      const { form } = prefillOf(rerunProbeHref({ spec, records: [], topology: null }, { address: '127.0.0.1', port: 45555 }));
      expect(form).toMatchObject({ target: 'http://shiny-dt.lab.test:45555/', protocol, shinyRoute: 'download', shinyOutput: 'report' });
    }
  });

  it('leaves out every credential header and credential query parameter of the run', () => {
    const headers = Object.fromEntries([
      ...CREDENTIAL_HEADERS.filter((name) => !/^(cookie|proxy-authorization)$/i.test(name)).map((name, i) => [name, `hdr-secret-${i}`]),
      ['X-Tenant', 'acme'],
      ['X-Replica', 'web-2'],
    ]);
    const query = [...CREDENTIAL_PARAMS.map((name, i) => `${name}=param-secret-${i}`), 'page=2'].join('&');
    const spec = testSpec({ target: `http://shop.example/cb?${query}`, headers });
    expect(JSON.stringify(spec)).toContain('hdr-secret-');
    const href = rerunProbeHref({ spec, records: [], topology: null }, null);
    expect(href).not.toMatch(/secret-\d/);
    const { form } = prefillOf(href);
    expect(form.target).toBe('http://shop.example/cb?page=2');
    expect(form.headers).toBe('X-Tenant: acme\nX-Replica: web-2');
  });
});
