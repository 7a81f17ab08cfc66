import { describe, expect, it } from 'vitest';
import { isNonPublicIp } from '@/lib/net/address';
import { cookiePseudonym, maskNonPublicIps, redactReport, toSharedReport } from './redact';
import { parseReport, REPORT_SCHEMA_VERSION, type Report } from './schema';
import { measureExperiments } from '@/lib/experiments/report';
import { CREDENTIAL_HEADERS, CREDENTIAL_PARAMS } from '@/lib/net/test/credential-names';
import { BEARER, PRIVATE_IPS, SESSION_VALUES, TRAEFIK_VALUES, testExperiment, testOutcome, testRecords, testSpec, testTopology } from './test/fixtures';

const keyA = Buffer.alloc(32, 1);
const keyB = Buffer.alloc(32, 2);

function report(over: Partial<Report> = {}): Report {
  const spec = testSpec({ resolve: ['10.0.1.5:8080:10.0.1.6'] });
  const records = testRecords(200);
  return {
    schemaVersion: REPORT_SCHEMA_VERSION,
    id: 'r1',
    status: 'complete',
    startedAt: 1,
    endedAt: 2,
    dashboardVersion: '0.1.0',
    spec,
    records,
    outcome: testOutcome(records, spec),
    topology: testTopology(),
    experiments: measureExperiments([testExperiment()], records),
    redaction: { onShare: true, stripQuery: false, applied: null },
    ...over,
  };
}

describe('redactReport', () => {
  it('leaves no cookie value, private address or credential anywhere in the JSON', () => {
    const json = JSON.stringify(redactReport(report(), { key: keyA, stripQuery: true }));
    for (const value of [...TRAEFIK_VALUES, ...SESSION_VALUES]) expect(json).not.toContain(value);
    for (const ip of PRIVATE_IPS) expect(json).not.toContain(ip);
    expect(json).not.toMatch(/\b10\.0\.|172\.20\.|192\.168\.|fd00:|fe80:/i);
    expect(json).not.toContain(BEARER);
    expect(json).not.toMatch(/authorization/i);
    expect(json).not.toContain('s3cr3t-query-value');
    expect(json).not.toContain('?token=');
  });

  it('still parses as a report, and says what was redacted', () => {
    const redacted = parseReport(JSON.parse(JSON.stringify(redactReport(report(), { key: keyA }))));
    expect(redacted.redaction.applied).toEqual({
      cookieValues: true,
      privateIps: true,
      authHeaders: true,
      queryStrings: false,
      droppedResolve: 1,
    });
    expect(redacted.spec.headers).toEqual({ 'X-Trace': 'yes' });
    expect(redacted.spec.target).toMatch(/^http:\/\/private-ip-[0-9a-f]{6}:8080\/login\?token=\[redacted\]$/);
    expect(redacted.topology?.service.servers[1]?.url).toMatch(/^http:\/\/private-ip-[0-9a-f]{6}:80$/);
    expect(redacted.status).toBe('complete');
  });

  it('keeps cookie changes and replica counts visible through stable pseudonyms', () => {
    const redacted = redactReport(report(), { key: keyA });
    const [first, second] = TRAEFIK_VALUES.map((v) => cookiePseudonym(keyA, v));
    expect(first).not.toBe(second);
    expect(redacted.records[0]?.balancer?.set).toBe(first);
    expect(redacted.records[1]?.balancer?.sent).toBe(first);
    expect(redacted.records[99]?.setCookies[0]).toMatchObject({ value: second, previousValue: first });
    expect(redacted.outcome?.diagnosis[0]?.message).toContain(`${first} → ${second}`);
    const replicas = Object.values(redacted.outcome?.verdict.replicas ?? {});
    expect(replicas.sort((x, y) => x - y)).toEqual([99, 101]);
    expect(redacted.outcome?.verdict.switches).toBe(report().outcome?.verdict.switches);
  });

  it('names the experiment’s replicas and cookies with the same pseudonyms as the records', () => {
    const original = report();
    expect(original.experiments[0]?.measurement).toMatchObject({ repinned: true, balancerCookie: { reissued: true } });
    const redacted = redactReport(original, { key: keyA });
    const m = redacted.experiments[0]?.measurement;
    expect(m?.pinnedReplica).toBe(redacted.records[0]?.replica);
    expect(m?.repinnedTo).toBe(redacted.records[150]?.replica);
    expect(m?.pinnedReplica).not.toBe(m?.repinnedTo);
    expect(m?.balancerCookie).toMatchObject({ before: cookiePseudonym(keyA, TRAEFIK_VALUES[0]!), after: cookiePseudonym(keyA, TRAEFIK_VALUES[1]!) });
    expect(redacted.experiments[0]?.replica).toBe(redacted.records[0]?.replica);
    expect(redacted.experiments[0]).toMatchObject({ action: 'kill-task', afterIndex: 95, taskName: 'shop_web.1' });
  });

  it('gives different pseudonyms in different reports', () => {
    const a = redactReport(report(), { key: keyA }).records[0]?.balancer?.set;
    const b = redactReport(report(), { key: keyB }).records[0]?.balancer?.set;
    expect(a).toMatch(/^~[0-9a-f]{12}$/);
    expect(b).toMatch(/^~[0-9a-f]{12}$/);
    expect(a).not.toBe(b);
  });

  it('hides the replica name when the identity is the cookie value itself', () => {
    const records = testRecords(3).map((r) => ({ ...r, replica: 'srv-abcdef123', identitySource: 'cookie:SRV' }));
    const json = JSON.stringify(redactReport(report({ records }), { key: keyA }));
    expect(json).not.toContain('srv-abcdef123');
  });

  it('does not rewrite vocabulary fields when a cookie value is an ordinary word', () => {
    const records = testRecords(2).map((r) => ({ ...r, setCookies: r.setCookies.map((c) => ({ ...c, value: 'stored' })) }));
    const redacted = redactReport(report({ records }), { key: keyA });
    expect(redacted.records[0]?.setCookies[0]).toMatchObject({ outcome: 'stored', value: cookiePseudonym(keyA, 'stored') });
  });

  it('is skipped when the author opted out', () => {
    const original = report({ redaction: { onShare: false, stripQuery: false, applied: null } });
    expect(toSharedReport(original, { key: keyA })).toEqual(original);
    expect(toSharedReport(report(), { key: keyA }).redaction.applied).not.toBeNull();
  });
});

// A run whose report carries every kind of credential and non-public address, in every place a report holds text.
const slug = (name: string) => name.toLowerCase().replace(/[^a-z0-9]+/g, '');
const HEADER_SECRETS = Object.fromEntries(CREDENTIAL_HEADERS.map((name, i) => [name, `hv${i}-${slug(name)}-Zq7`]));
// The headers' values as APIs send them: a scheme before the credential, cookies as pairs.
const SENT_HEADERS = {
  ...HEADER_SECRETS,
  Authorization: `Bearer ${HEADER_SECRETS.Authorization}`,
  'Proxy-Authorization': `Basic ${HEADER_SECRETS['Proxy-Authorization']}`,
  Cookie: `a=${HEADER_SECRETS.Cookie}; b=second-cookie-Zq7`,
};
const PLAIN_HEADERS = { 'X-Trace': 'yes', 'X-Replica': 'web-2', 'X-Request-Id': 'req-42', 'Idempotency-Key': 'idem-1', Accept: 'text/html' };
const PARAM_SECRETS = Object.fromEntries(CREDENTIAL_PARAMS.map((name, i) => [name, `qv${i}-${slug(name)}-Wm4`]));
const QUERY = `${CREDENTIAL_PARAMS.map((name) => `${name}=${PARAM_SECRETS[name]}`).join('&')}&page=2&lang=en`;
const TARGET = `http://shop.example:8080/login?${QUERY}`;
/** Secrets that only occur inside URLs elsewhere in the report, never in the spec. */
const URL_SECRETS = ['srv-token-Tt9', 'finding-pass-Pp3', 'note-sig-Ss5', 'answer-key-Kk1'];

/** Every kind of non-public address, as written in the report. */
const ADDRESSES = {
  rfc1918: ['10.0.1.5', '10.0.1.6', '172.20.0.3', '192.168.7.9'],
  loopback: ['127.0.0.53', '::1'],
  linkLocal: ['169.254.169.254', 'fe80::1ff:fe23:4567:890a'],
  cgnat: ['100.64.12.34', '100.127.0.9'],
  uniqueLocal: ['fd00:1::5', 'fc00::77', 'fd00::abcd'],
  unspecified: ['0.0.0.0'],
  mapped: ['::ffff:10.9.8.7', '::ffff:a09:808'],
  // Spellings a URL parser reads as 10.1.2.3, 10.0.0.5 and 10.66.0.77.
  spelled: ['0xa.0x1.0x2.0x3', '167772165', '10.66.77'],
};
const PUBLIC = ['8.8.8.8', '2606:4700:4700::1111', '8.8.4.4'];

function hostileReport(): Report {
  const base = report();
  const spec = {
    ...base.spec,
    target: TARGET,
    headers: { ...SENT_HEADERS, ...PLAIN_HEADERS },
    resolve: ['169.254.169.254', '100.64.12.34', '::1', 'fd00:1::5', '8.8.4.4'].map((address) => ({ host: 'shop.example', port: 8080, address })),
  };
  const records = base.records.map((r) => {
    if (r.index === 3) return { ...r, error: { code: 'reset' as const, message: `GET ${TARGET} from 127.0.0.53 reset; upstream said key ${HEADER_SECRETS['X-Api-Key']} is revoked` } };
    if (r.index === 4) {
      const answer = `HTTP 401 at http://[::ffff:a09:808]:80/s?key=${URL_SECRETS[3]}&page=1 (token ${PARAM_SECRETS.access_token} expired)`;
      return { ...r, protocol: { phase: 'route' as const, lane: 1, session: `/s/9f8e?sid=lane-session-Ls2`, outcome: 'error' as const, answer } };
    }
    return r;
  });
  const outcome = base.outcome && {
    ...base.outcome,
    diagnosis: [
      ...base.outcome.diagnosis,
      {
        code: 'balancer-cookie-repinned' as const,
        severity: 'warning' as const,
        message: `re-pinned from ::ffff:10.0.1.5 to fc00::77 (fe80::1ff:fe23:4567:890a%eth0) via ${HEADER_SECRETS['X-Auth-Token']}, dns 8.8.8.8`,
        atIndex: 100,
        cookie: null,
      },
    ],
    cookies: {
      ...base.outcome.cookies,
      events: [
        ...base.outcome.cookies.events,
        { index: 5, atMs: 40, name: '_traefik_web', kind: 'set' as const, detail: `set by http://0xa.0x1.0x2.0x3/?sig=${URL_SECRETS[2]} from 100.127.0.9 and [::1]:3000` },
      ],
    },
  };
  const service = base.topology!.service;
  const topology = {
    ...base.topology!,
    service: {
      ...service,
      tasks: [
        {
          id: 't1', slot: 1, state: 'running', desiredState: 'running', node: 'n1', containerId: 'c1', hostname: 'web-1',
          addresses: ['100.64.12.34/10', '10.0.1.5/24', 'fd00::abcd'],
          networks: [{ name: 'ingress', ip: '::ffff:10.9.8.7' }],
          error: 'dial tcp 169.254.169.254:80: i/o timeout, resolver 2606:4700:4700::1111',
        },
      ],
      servers: [
        { url: 'http://10.0.1.5:80', status: 'UP' as const, taskId: 't1' },
        { url: `http://[fd00:1::5]:80/?token=${URL_SECRETS[0]}`, status: 'UP' as const, taskId: null },
        { url: 'http://167772165:80', status: 'DOWN' as const, taskId: null },
        { url: 'http://10.66.77:80', status: 'DOWN' as const, taskId: null },
        { url: 'http://0.0.0.0:80', status: 'DOWN' as const, taskId: null },
      ],
    },
    findings: base.topology!.findings.map((f) => ({ ...f, evidence: [...f.evidence, { label: 'probe', value: `https://ops:${URL_SECRETS[1]}@[fd00::abcd]/health` }] })),
  };
  const experiments = base.experiments.map((e) => ({ ...e, message: `${e.message}; console at [::1]:3000 and 127.0.0.53` }));
  return { ...base, spec, records, outcome, topology, experiments };
}

/** Whether `address` stands in `json` on its own, not as part of a longer address or pseudonym. */
function showsAddress(json: string, address: string): boolean {
  const escaped = address.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`(?<![\\w.:])${escaped}(?![\\w:]|\\.\\d)`, 'i').test(json);
}

describe('a shared report', () => {
  const original = hostileReport();
  const shared = toSharedReport(original, { key: keyA });
  const json = JSON.stringify(shared);

  it('shows no credential header value, in the spec or anywhere else', () => {
    expect(JSON.stringify(original)).toContain(HEADER_SECRETS['X-Api-Key']);
    for (const [name, value] of Object.entries(HEADER_SECRETS)) expect(json, name).not.toContain(value);
    expect(json).not.toContain('second-cookie-Zq7');
    for (const name of CREDENTIAL_HEADERS) expect(Object.keys(shared.spec.headers), name).not.toContain(name);
  });

  it('shows no credential query parameter value, in the target or in any URL or message', () => {
    for (const [name, value] of Object.entries(PARAM_SECRETS)) expect(json, name).not.toContain(value);
    for (const secret of [...URL_SECRETS, 'lane-session-Ls2']) expect(json, secret).not.toContain(secret);
    const target = new URL(shared.spec.target);
    for (const name of CREDENTIAL_PARAMS) expect(target.searchParams.get(name), name).toBe('[redacted]');
  });

  it('shows no non-public address, in whatever field or spelling', () => {
    for (const [kind, list] of Object.entries(ADDRESSES)) {
      for (const address of list) {
        expect(JSON.stringify(original), address).toContain(address);
        expect(showsAddress(json, address), `${kind} ${address}`).toBe(false);
      }
    }
    expect(json).not.toMatch(/\b(?:10|127)\.\d|\b192\.168\.|\b169\.254\.|\b100\.(?:6[4-9]|[7-9]\d|1[01]\d|12[0-7])\.|fd00:|fc00:|fe80:|::ffff:/i);
    expect(shared.spec.resolve).toEqual([{ host: 'shop.example', port: 8080, address: '8.8.4.4' }]);
    expect(shared.redaction.applied?.droppedResolve).toBe(4);
  });

  it('keeps what is not secret: plain headers and parameters, public addresses, and every replica apart', () => {
    expect(shared.spec.headers).toEqual(PLAIN_HEADERS);
    const target = new URL(shared.spec.target);
    expect(target.searchParams.get('page')).toBe('2');
    expect(target.searchParams.get('lang')).toBe('en');
    for (const address of PUBLIC) expect(showsAddress(json, address), address).toBe(true);
    const [first, second] = [shared.records[0]?.replica, shared.records[150]?.replica];
    expect(first).toMatch(/^private-ip-[0-9a-f]{6}$/);
    expect(second).toMatch(/^private-ip-[0-9a-f]{6}$/);
    expect(first).not.toBe(second);
    // The same replica written as an IPv4-mapped address is still the same replica.
    expect(shared.outcome?.diagnosis.at(-1)?.message).toContain(`re-pinned from ${first} to`);
    expect(shared.topology?.service.servers.map((s) => new URL(s.url).hostname)).toEqual(
      expect.arrayContaining([first, expect.stringMatching(/^private-ip-/)]),
    );
  });

  it('still parses as a report', () => {
    expect(() => parseReport(JSON.parse(json))).not.toThrow();
  });

  it('leaves nothing of the query behind when query strings are stripped', () => {
    const stripped = redactReport(original, { key: keyA, stripQuery: true });
    expect(stripped.spec.target).toBe('http://shop.example:8080/login');
    expect(JSON.stringify(stripped)).not.toContain('page=2&lang=en');
  });
});

describe('non-public addresses', () => {
  it('masks them inside text and URLs, consistently per key and per address whatever its spelling', () => {
    const text = 'http://10.0.0.1:80/, [fd00::2]:443 and 8.8.8.8, ::ffff:10.0.0.1 again, version 1.10.0.0.1';
    const masked = maskNonPublicIps(text, keyA);
    expect(masked).not.toContain('fd00');
    expect(masked).toContain('8.8.8.8');
    expect(masked.endsWith('version 1.10.0.0.1')).toBe(true);
    expect(masked.replace('1.10.0.0.1', '')).not.toContain('10.0.0.1');
    const pseudonyms = masked.match(/private-ip-[0-9a-f]{6}/g) ?? [];
    expect(pseudonyms).toHaveLength(3);
    expect(pseudonyms[0]).toBe(pseudonyms[2]);
    expect(pseudonyms[0]).not.toBe(pseudonyms[1]);
    expect(new URL(masked.split(',')[0] ?? '').hostname).toBe(pseudonyms[0]);
    expect(maskNonPublicIps('10.0.0.1', keyB)).not.toBe(pseudonyms[0]);
  });

  it('drops address overrides to non-public addresses', () => {
    expect(PRIVATE_IPS.every(isNonPublicIp)).toBe(true);
    const spec = { ...testSpec(), resolve: [{ host: 'shop.example', port: 8080, address: '8.8.4.4' }, { host: 'shop.example', port: 8080, address: '::1' }] };
    const redacted = redactReport(report({ spec }), { key: keyA });
    expect(redacted.spec.resolve).toEqual([{ host: 'shop.example', port: 8080, address: '8.8.4.4' }]);
    expect(redacted.redaction.applied?.droppedResolve).toBe(1);
  });
});
