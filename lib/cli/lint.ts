import { countBySeverity, evaluateTopology } from '@/lib/affinity/evaluate';
import { formatFindings, lintExitCode } from '@/lib/affinity/format';
import { parseFlags } from './args';
import { readConfiguredTopology, unreadableReason } from './cluster';
import { dashboardOption, readDashboardFindings, type DashboardFindings } from './dashboard';

async function localFindings(): Promise<DashboardFindings> {
  const topology = await readConfiguredTopology();
  return { generatedAt: topology.generatedAt, sources: topology.sources, findings: evaluateTopology(topology) };
}

export async function lintCommand(args: string[]): Promise<number> {
  const flags = parseFlags(args, ['json'], ['dashboard']);
  const dashboard = dashboardOption(flags.dashboard);
  const { sources, findings, generatedAt } = dashboard ? await readDashboardFindings(dashboard) : await localFindings();
  const unreadable = unreadableReason(sources, dashboard);
  if (unreadable) {
    console.error(`stickyscope lint: cannot read the cluster: ${unreadable}`);
    return 2;
  }
  if (sources.traefik.status === 'error') console.error(`stickyscope lint: warning: ${sources.traefik.message}`);
  if (flags.json) {
    console.log(JSON.stringify({ generatedAt, sources, counts: countBySeverity(findings), findings }, null, 2));
  } else {
    process.stdout.write(formatFindings(findings));
  }
  return lintExitCode(findings);
}
