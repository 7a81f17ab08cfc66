// Finding 5, redaction leaks: share pages still showed credential headers other than Authorization, Cookie and
// Proxy-Authorization (X-Api-Key, X-Auth-Token), and did not mask link-local (169.254/16), shared (100.64/10),
// loopback IPv6 (::1) or unique-local IPv6 (fd00::/8) addresses.
import { describe, expect, it } from 'vitest';
import { parseProbeSpec, type ProbeSpecInput } from '@/lib/probe/spec';
import type { ProbeRecord } from '@/lib/probe/types';
import { rec } from '@/lib/probe/test/records';
import { replayRecords, toReportOutcome } from '@/lib/reports/outcome';
import { ReportWriter } from '@/lib/reports/writer';
import type { AttackTarget } from './dashboard';
import { sendJson } from './same-origin';
import { useAttackTarget } from './use-target';

const target = useAttackTarget();

const SECRETS = {
  apiKey: 'attack-api-key-7Qx2Lm9Vt4',
  authToken: 'attack-auth-token-Zp8Kd3Wn6',
};
const ADDRESSES = { linkLocal: '169.254.10.20', shared: '100.64.3.4', loopback6: '::1', uniqueLocal: 'fd00:1234::5' };

function record(index: number, replica: string, error: string | null = null): ProbeRecord {
  return error ? rec(index, null, { status: null, error: { code: 'refused', message: error } }) : rec(index, replica, { identitySource: 'header:x-replica' });
}

/** Saves a run the way the Probe page does (ReportWriter against the report API), shares it and returns the page HTML. */
async function sharedPage(t: AttackTarget, input: ProbeSpecInput, records: ProbeRecord[]): Promise<string> {
  const spec = parseProbeSpec(input);
  const sameOrigin = (url: string | URL | Request, init?: RequestInit) =>
    fetch(url, { ...init, headers: { ...(init?.headers as Record<string, string>), origin: t.base, 'sec-fetch-site': 'same-origin' } });
  const writer = new ReportWriter({ spec, startedAt: Date.now(), endpoint: `${t.base}/api/reports`, fetch: sameOrigin, flushMs: 10, retryDelaysMs: [] });
  for (const r of records) writer.add(r);
  const saved = await writer.finish('complete', toReportOutcome('completed', replayRecords(spec, records), spec));
  expect(saved.problem).toBeNull();
  expect(saved.phase).toBe('saved');
  const share = await sendJson(t, 'POST', `/api/reports/${saved.reportId}/shares`, {});
  expect(share.status).toBe(201);
  const { shareId } = share.json as { shareId: string };
  const page = await t.send({ method: 'GET', path: `/r/${encodeURIComponent(shareId)}` });
  expect(page.status).toBe(200);
  return page.body.toString('utf8');
}

describe('redaction of a shared report', () => {
  it('shows none of the values this file looks for when the report has none of them (control)', async () => {
    const t = target();
    const html = await sharedPage(t, { target: 'http://app.example:8080/', requests: 2 }, [record(1, 'replica-a'), record(2, 'replica-a')]);
    expect(html).toContain('app.example');
    expect([...Object.values(SECRETS), ...Object.values(ADDRESSES)].filter((value) => html.includes(value))).toEqual([]);
  });

  it('hides X-Api-Key and X-Auth-Token header values on the share page', async () => {
    const t = target();
    const html = await sharedPage(
      t,
      { target: 'http://app.example:8080/', requests: 2, headers: { 'X-Api-Key': SECRETS.apiKey, 'X-Auth-Token': `Bearer ${SECRETS.authToken}` } },
      [record(1, 'replica-a'), record(2, 'replica-a')],
    );
    expect(Object.values(SECRETS).filter((secret) => html.includes(secret))).toEqual([]);
  });

  it('masks 169.254.x.x, 100.64.x.x, ::1 and fd00:: addresses in the target, the overrides, replicas and messages', async () => {
    const t = target();
    const viaOverrides = await sharedPage(
      t,
      {
        target: 'http://app.example:8080/',
        requests: 3,
        resolve: [`app.example:8080:${ADDRESSES.shared}`, `app.example:8080:[${ADDRESSES.loopback6}]`, `app.example:8080:[${ADDRESSES.uniqueLocal}]`],
      },
      [
        record(1, `${ADDRESSES.shared}:8080`),
        record(2, `[${ADDRESSES.uniqueLocal}]:8080`),
        record(3, '', `connect ECONNREFUSED [${ADDRESSES.loopback6}]:8080 and ${ADDRESSES.linkLocal}:8080`),
      ],
    );
    const viaTarget = await sharedPage(t, { target: `http://${ADDRESSES.linkLocal}:8080/`, requests: 1 }, [record(1, `${ADDRESSES.linkLocal}:8080`)]);
    const shown = (html: string) => Object.values(ADDRESSES).filter((address) => html.includes(address));
    expect({ viaOverrides: shown(viaOverrides), viaTarget: shown(viaTarget) }).toEqual({ viaOverrides: [], viaTarget: [] });
  });
});
