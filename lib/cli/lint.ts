import { countBySeverity, evaluateTopology } from '@/lib/affinity/evaluate';
import { formatFindings, lintExitCode } from '@/lib/affinity/format';
import { parseFlags } from './args';
import { readConfiguredTopology, unreadableReason } from './cluster';

export async function lintCommand(args: string[]): Promise<number> {
  const flags = parseFlags(args, ['json']);
  const topology = await readConfiguredTopology();
  const unreadable = unreadableReason(topology);
  if (unreadable) {
    console.error(`stickyscope lint: cannot read the cluster: ${unreadable}`);
    return 2;
  }
  const findings = evaluateTopology(topology);
  if (topology.sources.traefik.status === 'error') console.error(`stickyscope lint: warning: ${topology.sources.traefik.message}`);
  if (flags.json) {
    console.log(JSON.stringify({ generatedAt: topology.generatedAt, sources: topology.sources, counts: countBySeverity(findings), findings }, null, 2));
  } else {
    process.stdout.write(formatFindings(findings));
  }
  return lintExitCode(findings);
}
