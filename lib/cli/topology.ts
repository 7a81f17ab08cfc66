import { parseFlags } from './args';
import { readConfiguredTopology, unreadableReason } from './cluster';
import { dashboardOption, readDashboardTopology } from './dashboard';
import { formatTopology } from './format-topology';

export async function topologyCommand(args: string[]): Promise<number> {
  const flags = parseFlags(args, ['json'], ['dashboard']);
  const dashboard = dashboardOption(flags.dashboard);
  const topology = dashboard ? await readDashboardTopology(dashboard) : await readConfiguredTopology();
  console.log(flags.json ? JSON.stringify(topology, null, 2) : formatTopology(topology));
  const unreadable = unreadableReason(topology.sources, dashboard);
  if (!unreadable) return 0;
  console.error(`stickyscope topology: ${unreadable}`);
  return 2;
}
