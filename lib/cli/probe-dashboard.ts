// `stickyscope probe --dashboard URL`: what a running dashboard knows about the target, put to use. A demo-lab host
// is reached through the lab's balancer; a service the topology routes the host to lends its sticky cookie's name
// (so the verdict can name the balancer's cookie) and its findings, printed beside the verdict.
import { formatFindings, type PrintableFinding } from '@/lib/affinity/format';
import { InputError } from '@/lib/errors';
import { hostKey } from '@/lib/net/host-key';
import { probeSpecSchema, type ProbeSpec } from '@/lib/probe/spec';
import { readDashboardFindings, readDashboardTopology, type DashboardTopology } from './dashboard';

export type DashboardProbe = {
  spec: ProbeSpec;
  /** The service the dashboard routes the target's host to, when one does. */
  service: string | null;
  /** What the dashboard changed about the run, said on stderr. */
  notes: string[];
};

function defaultPort(url: URL): number {
  return url.protocol === 'https:' ? 443 : 80;
}

function serviceForHost(topology: DashboardTopology, host: string) {
  return topology.services.find((s) => s.routers.some((r) => r.hosts.some((h) => hostKey(h) === host))) ?? null;
}

/** The spec as the dashboard's topology completes it; an InputError when the two disagree. */
export async function withDashboard(spec: ProbeSpec, dashboard: URL): Promise<DashboardProbe> {
  const topology = await readDashboardTopology(dashboard);
  const target = new URL(spec.target);
  const host = hostKey(target.hostname);
  const service = host === null ? null : serviceForHost(topology, host);
  if (!service) return { spec, service: null, notes: [`the dashboard at ${dashboard.href} routes no service to ${target.hostname}; probing it as given`] };

  const next: ProbeSpec = { ...spec };
  const notes: string[] = [];
  const balancer = topology.sources.lab?.status === 'ok' ? topology.sources.lab.balancer : undefined;
  const isLab = 'lab' in service && service.lab !== undefined;
  if (isLab && balancer && host !== null) {
    const port = target.port ? Number(target.port) : defaultPort(target);
    if (target.port && port !== balancer.port) {
      throw new InputError(`${target.hostname} is a demo lab host; the lab's balancer listens on port ${balancer.port}, not ${port}: probe ${target.protocol}//${target.hostname}:${balancer.port}${target.pathname}`);
    }
    target.port = String(balancer.port);
    next.target = target.href;
    if (!spec.resolve.some((r) => r.host === host && r.port === balancer.port)) {
      next.resolve = [...spec.resolve, { host, port: balancer.port, address: balancer.address }];
      notes.push(`${target.hostname} is the demo lab's service ${service.name}: connecting to its balancer at ${balancer.address}:${balancer.port}`);
    }
  }
  if (spec.balancerCookie === null && service.sticky) {
    next.balancerCookie = service.sticky.cookieName;
    notes.push(`service ${service.name}'s sticky cookie is ${service.sticky.cookieName}`);
  }
  const checked = probeSpecSchema.safeParse(next);
  if (!checked.success) throw new InputError(`the dashboard's view of ${target.hostname} does not fit the probe: ${checked.error.issues[0]?.message ?? 'invalid'}`);
  return { spec: checked.data, service: service.name, notes };
}

/** The dashboard's findings for one service, for printing beside the verdict. */
export async function serviceFindings(dashboard: URL, service: string): Promise<PrintableFinding[]> {
  const { findings } = await readDashboardFindings(dashboard);
  return findings.filter((f) => f.service === service);
}

export function formatServiceFindings(service: string, findings: readonly PrintableFinding[]): string {
  if (findings.length === 0) return `Dashboard findings for ${service}: none.\n`;
  return `\nDashboard findings for ${service}:\n\n${formatFindings(findings)}`;
}
