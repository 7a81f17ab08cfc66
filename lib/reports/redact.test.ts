import { describe, expect, it } from 'vitest';
import { cookiePseudonym, isPrivateIp, maskPrivateIps, redactReport, toSharedReport } from './redact';
import { parseReport, REPORT_SCHEMA_VERSION, type Report } from './schema';
import { measureExperiments } from '@/lib/experiments/report';
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
    expect(redacted.spec.target).toMatch(/^http:\/\/private-ip-[0-9a-f]{6}:8080\/login\?token=s3cr3t-query-value$/);
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

describe('private addresses', () => {
  it('recognises the private ranges and nothing else', () => {
    for (const ip of [...PRIVATE_IPS, '127.0.0.1', '172.31.255.255', '[fd12::1]', 'fc00::1', 'feb0::1']) expect(isPrivateIp(ip)).toBe(true);
    for (const ip of ['8.8.8.8', '172.32.0.1', '11.0.0.1', '192.169.0.1', '2001:db8::1', 'fec0::1', '110.0.0.1']) {
      expect(isPrivateIp(ip)).toBe(false);
    }
  });

  it('masks them inside text and URLs, consistently per key', () => {
    const text = 'http://10.0.0.1:80/, [fd00::2]:443 and 8.8.8.8, 10.0.0.1 again, version 1.10.0.0.1';
    const masked = maskPrivateIps(text, keyA);
    expect(masked).not.toContain('fd00');
    expect(masked).toContain('8.8.8.8');
    expect(masked.endsWith('version 1.10.0.0.1')).toBe(true);
    expect(masked.replace('1.10.0.0.1', '')).not.toContain('10.0.0.1');
    const pseudonyms = masked.match(/private-ip-[0-9a-f]{6}/g) ?? [];
    expect(pseudonyms).toHaveLength(3);
    expect(pseudonyms[0]).toBe(pseudonyms[2]);
    expect(new URL(masked.split(',')[0] ?? '').hostname).toBe(pseudonyms[0]);
  });
});
