// Builders for report tests: a realistic run with a Traefik sticky cookie, a session cookie, private addresses
// and an Authorization header, so redaction has something to find.
import { parseProbeSpec, type ProbeSpec } from '@/lib/probe/spec';
import type { ExperimentEvent } from '@/lib/experiments/types';
import type { ProbeRecord } from '@/lib/probe/types';
import { CookieTimeline } from '@/lib/probe/cookie-timeline';
import { computeVerdict, evaluateExpectation } from '@/lib/probe/verdict';
import { rec, setEvent } from '@/lib/probe/test/records';
import type { ReportOutcome, ReportTopology } from '../schema';

export const TRAEFIK_VALUES = ['5f8b3c2a1d9e7f60', '9a0c4e6b2f1d3857'];
export const SESSION_VALUES = ['sess-7KQ2mZpX4vNw', 'sess-R8tY1uIo0pLa'];
export const BEARER = 'eyJhbGciOiJIUzI1NiJ9.c2VjcmV0LXRva2Vu.c2ln';
export const PRIVATE_IPS = ['10.0.1.5', '10.0.1.6', '172.20.0.3', '192.168.7.9', 'fd00:1::5', 'fe80::1ff:fe23:4567:890a'];

export function testSpec(over: Partial<Record<string, unknown>> = {}): ProbeSpec {
  return parseProbeSpec({
    target: 'http://10.0.1.5:8080/login?token=s3cr3t-query-value',
    requests: 200,
    headers: { Authorization: `Bearer ${BEARER}`, 'X-Trace': 'yes' },
    balancerCookie: '_traefik_web',
    ...over,
  });
}

/** Records 1..n; the Traefik cookie is set on the first request and re-pinned half way through. */
export function testRecords(n: number, from = 1): ProbeRecord[] {
  return Array.from({ length: n }, (_, i) => {
    const index = from + i;
    const pinned = index < 100 ? 0 : 1;
    const traefik = TRAEFIK_VALUES[pinned] ?? '';
    const session = SESSION_VALUES[pinned] ?? '';
    const setCookies =
      index === 1 || index === 100
        ? [
            setEvent('_traefik_web', traefik, index === 100 ? { outcome: 'updated', previousValue: TRAEFIK_VALUES[0] ?? null } : {}),
            setEvent('session', session),
          ]
        : [];
    return rec(index, PRIVATE_IPS[pinned] ?? null, {
      setCookies,
      cookieSent: index === 1 ? [] : ['_traefik_web', 'session'],
      balancer: { name: '_traefik_web', sent: index === 1 ? null : traefik, set: setCookies.length ? traefik : null },
    });
  });
}

/** A task kill after request 95 of `testRecords`: the client re-pins from 10.0.1.5 to 10.0.1.6 at request 100. */
export function testExperiment(over: Partial<ExperimentEvent> = {}): ExperimentEvent {
  return {
    id: 'a1b2c3d4e5f60718',
    action: 'kill-task',
    service: 'shop_web',
    taskId: 'k3x9t2p0q8w7e6r5t4y3u2i1o',
    taskName: 'shop_web.1',
    replica: PRIVATE_IPS[0] ?? null,
    afterIndex: 95,
    atMs: 950,
    ok: true,
    message: `killed the container of task shop_web.1 on ${PRIVATE_IPS[0]}`,
    ...over,
  };
}

export function testOutcome(records: ProbeRecord[], spec: ProbeSpec): ReportOutcome {
  const timeline = new CookieTimeline();
  for (const r of records) timeline.add(r);
  const verdict = computeVerdict(records);
  return {
    ended: 'completed',
    verdict,
    expectation: evaluateExpectation(verdict, spec.expect),
    diagnosis: [
      {
        code: 'balancer-cookie-changed',
        severity: 'error',
        message: `_traefik_web changed ${TRAEFIK_VALUES[0]} → ${TRAEFIK_VALUES[1]} and 10.0.1.6 answered`,
        atIndex: 100,
        cookie: '_traefik_web',
      },
    ],
    cookies: timeline.summary(),
    protocol: null,
  };
}

export function testTopology(): ReportTopology {
  return {
    generatedAt: '2025-01-01T00:00:00.000Z',
    service: {
      id: 'svc1',
      name: 'shop_web',
      stack: 'shop',
      replicas: { desired: 2, running: 2 },
      endpointMode: 'vip',
      mode: 'replicated',
      ports: [],
      networks: ['shop_default'],
      labels: {},
      hasHealthCheck: false,
      tasks: [],
      routers: [],
      traefikServices: ['web@swarm'],
      sticky: null,
      traefikOrigin: 'api',
      traefikHealthCheck: false,
      servers: [
        { url: 'http://10.0.1.5:80', status: 'UP', taskId: null },
        { url: 'http://[fd00:1::5]:80', status: 'UP', taskId: null },
      ],
      unroutedTaskIds: [],
      labelConfig: {} as ReportTopology['service']['labelConfig'],
      traefikWarnings: [],
      virtualIps: ['172.20.0.3/24'],
      labelSticky: null,
    },
    findings: [
      {
        rule: 'stale-servers',
        severity: 'warning',
        service: 'shop_web',
        stack: 'shop',
        title: 'Stale server',
        message: 'Traefik still lists http://192.168.7.9:80',
        evidence: [{ label: 'server', value: 'http://192.168.7.9:80 via fe80::1ff:fe23:4567:890a' }],
        fix: null,
        docs: 'https://example.test/docs',
      },
    ],
  };
}
