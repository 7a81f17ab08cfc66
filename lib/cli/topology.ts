import { parseFlags } from './args';
import { readConfiguredTopology, unreadableReason } from './cluster';
import { formatTopology } from './format-topology';

export async function topologyCommand(args: string[]): Promise<number> {
  const flags = parseFlags(args, ['json']);
  const topology = await readConfiguredTopology();
  console.log(flags.json ? JSON.stringify(topology, null, 2) : formatTopology(topology));
  if (topology.sources.docker.status !== 'error') return 0;
  console.error(`stickyscope: ${unreadableReason(topology)}`);
  return 2;
}
