// Test-only: the real probe engine against one lab host, through an address override to the lab balancer, with
// WebSocket upgrades for engine.io probes as the CLI and the relay do.
import { parseProbeSpec, runProbe } from '@/lib/probe';
import { nodeTransportFor } from '@/lib/probe/protocols/upgrade-node';
import type { ProbeSpecInput } from '@/lib/probe/spec';
import type { Lab } from '../lab';
import { labHost } from '../scenarios';

export async function probeLab(lab: Pick<Lab, 'port' | 'address'>, scenario: string, path = '/app', requests = 20, spec: Partial<ProbeSpecInput> = {}) {
  const host = labHost(scenario);
  const parsed = parseProbeSpec({
    target: `http://${host}:${lab.port}${path}`,
    requests,
    intervalMs: 0,
    resolve: [`${host}:${lab.port}:${lab.address}`],
    ...spec,
  });
  const transport = nodeTransportFor(parsed);
  try {
    return await runProbe(parsed, transport);
  } finally {
    await transport.close();
  }
}
