// Issue 3 acceptance on real parts: the lab deploys one service per misconfiguration plus `good-sticky`, and both the
// app's own read-and-evaluate path and the real `stickyscope lint` command must name exactly the expected rule.
import path from 'node:path';

import { beforeAll, describe, expect, inject, it } from 'vitest';

import { countBySeverity, evaluateTopology } from '@/lib/affinity/evaluate';
import type { Finding, RuleId, Severity } from '@/lib/affinity/types';
import type { ClusterConfig } from '@/lib/config-types';
import { readTopology } from '@/lib/topology/read';
import type { Topology } from '@/lib/topology/types';

import { DEFAULT_LAB_DIR, LAB_OVERLAY, LAB_OVERLAY_EXTRA } from '../../scripts/lab/swarm.mjs';
import { labDockerHost, runStickyscope } from './lab-cli';

type Loud = { rule: RuleId; severity: Severity };

/** The only warning- or error-level finding each scenario service may get; null: none at all, not even info. */
const expected: Record<string, Loud | null> = {
  'good-sticky': null,
  'mis-no-sticky': { rule: 'no-sticky', severity: 'error' },
  'mis-secure-cookie-over-http': { rule: 'secure-cookie-over-http', severity: 'error' },
  'mis-lbswarm': { rule: 'lbswarm-defeats-sticky', severity: 'error' },
  'mis-v1-labels': { rule: 'v1-labels-ignored', severity: 'error' },
  // One replica: nothing to re-balance yet, so the dead label is a warning.
  'mis-sticky-without-cookie': { rule: 'v1-labels-ignored', severity: 'warning' },
  'mis-split-routers': { rule: 'split-routers', severity: 'error' },
  'mis-mesh-bypass': { rule: 'mesh-bypass', severity: 'warning' },
  'mis-ambiguous-network': { rule: 'ambiguous-network', severity: 'warning' },
};

function loudFindings(findings: Finding[], service: string): Loud[] {
  return findings
    .filter((f) => f.service === service && f.severity !== 'info')
    .map(({ rule, severity }) => ({ rule, severity }));
}

function findingOf(findings: Finding[], service: string): Finding {
  const found = findings.find((f) => f.service === service && f.rule === expected[service]?.rule);
  if (!found) throw new Error(`no ${expected[service]?.rule} finding for ${service}`);
  return found;
}

function expectScenarios(findings: Finding[]): void {
  for (const [service, loud] of Object.entries(expected)) {
    expect(loudFindings(findings, service), service).toEqual(loud ? [loud] : []);
  }
  expect(findings.filter((f) => f.service === 'good-sticky')).toEqual([]);
}

describe('findings for the real Swarm lab, in process (what GET /api/findings evaluates)', () => {
  const deployed = inject('labServices');
  let topology: Topology;
  let findings: Finding[];

  beforeAll(async () => {
    const cluster: ClusterConfig = {
      id: 'lab',
      name: 'lab',
      docker: { host: labDockerHost(), tls: null, timeoutMs: 10_000 },
      traefik: null,
    };
    topology = await readTopology(cluster);
    findings = evaluateTopology(topology);
  });

  it('reads Docker and derives Traefik from the labels', () => {
    expect(topology.sources.docker.status).toBe('ok');
    expect(topology.sources.traefik).toMatchObject({ status: 'off', origin: 'labels' });
    for (const service of Object.keys(expected)) expect(deployed.map((d) => d.name)).toContain(service);
  });

  it('reports exactly the expected rule on exactly the expected service, and nothing on good-sticky', () => {
    expectScenarios(findings);
    const deployedNames = new Set(deployed.map((d) => d.name));
    for (const f of findings) expect(deployedNames.has(f.service), f.service).toBe(true);
  });

  it('gives each finding a fix made of the labels that repair it', () => {
    expect(findingOf(findings, 'mis-no-sticky').fix?.labelsToAdd).toMatchObject({
      'traefik.http.services.mis-no-sticky.loadbalancer.sticky.cookie': 'true',
    });
    expect(findingOf(findings, 'mis-secure-cookie-over-http').fix?.labelsToAdd).toEqual({
      'traefik.http.services.mis-secure-cookie-over-http.loadbalancer.sticky.cookie.secure': 'false',
    });
    expect(findingOf(findings, 'mis-lbswarm').fix?.labelsToRemove).toEqual(['traefik.swarm.lbswarm']);
    expect(findingOf(findings, 'mis-v1-labels').fix).toMatchObject({
      labelsToAdd: {
        'traefik.http.services.mis-v1-labels.loadbalancer.sticky.cookie': 'true',
        'traefik.http.services.mis-v1-labels.loadbalancer.sticky.cookie.name': 'srv_id',
      },
      labelsToRemove: expect.arrayContaining(['traefik.backend.loadbalancer.stickiness', 'traefik.backend.loadbalancer.stickiness.cookieName']),
    });
    expect(findingOf(findings, 'mis-sticky-without-cookie').fix).toMatchObject({
      labelsToAdd: { 'traefik.http.services.mis-sticky-without-cookie.loadbalancer.sticky.cookie': 'true' },
      labelsToRemove: ['traefik.http.services.mis-sticky-without-cookie.loadbalancer.sticky'],
    });
    expect(findingOf(findings, 'mis-split-routers').fix?.labelsToAdd).toEqual({
      'traefik.http.routers.mis-split-routers-ws.service': 'mis-split-routers',
    });
    expect(findingOf(findings, 'mis-mesh-bypass').fix?.note).toContain('docker service update --publish-rm 18581 mis-mesh-bypass');
    // Either network would settle it; which one Traefik shares with the service only its own config knows.
    const ambiguous = Object.entries(findingOf(findings, 'mis-ambiguous-network').fix?.labelsToAdd ?? {});
    expect(ambiguous).toEqual([[expect.stringMatching(/^traefik\.(docker|swarm)\.network$/), expect.toBeOneOf([LAB_OVERLAY, LAB_OVERLAY_EXTRA])]]);
  });
});

describe('stickyscope lint against the real Swarm lab', () => {
  it('--json reports the same findings and exits 1 because errors exist', async () => {
    const dockerHost = labDockerHost();
    const run = await runStickyscope(['lint', '--json'], dockerHost);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(1);
    const report = JSON.parse(run.stdout) as { sources: Topology['sources']; counts: Record<Severity, number>; findings: Finding[] };
    expect(report.sources.docker.status).toBe('ok');
    expectScenarios(report.findings);
    expect(report.counts).toEqual(countBySeverity(report.findings));
    expect(report.counts.error).toBeGreaterThan(0);

    // Same cluster, same rules: the command and the in-process evaluation agree finding for finding.
    const inProcess = evaluateTopology(
      await readTopology({ id: 'lab', name: 'lab', docker: { host: dockerHost, tls: null, timeoutMs: 10_000 }, traefik: null }),
    );
    const key = (f: Finding) => `${f.severity} ${f.service} ${f.rule}`;
    expect(report.findings.map(key)).toEqual(inProcess.map(key));
  });

  it('prints each scenario in the text report', async () => {
    const run = await runStickyscope(['lint'], labDockerHost());
    expect(run.code).toBe(1);
    const headings = run.stdout.split('\n').filter((line) => /^[A-Z]+ {2}/.test(line));
    for (const [service, loud] of Object.entries(expected)) {
      const own = headings.filter((line) => line.split(/ {2}/)[1] === service && !line.startsWith('INFO'));
      expect(own, service).toEqual(loud ? [expect.stringMatching(new RegExp(`^${loud.severity.toUpperCase()} {2}${service} {2}${loud.rule}: `))] : []);
    }
  });

  it('exits 2 and says why when the Docker socket is missing', async () => {
    const missing = path.join(DEFAULT_LAB_DIR, 'no-such.sock');
    const run = await runStickyscope(['lint', '--json'], `unix://${missing}`);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain(`stickyscope lint: cannot read the cluster: no Docker socket at ${missing}`);
  });
});
