// Test-only: the real probe engine against one lab host, through an address override to the lab balancer.
import { parseProbeSpec, runProbe } from '@/lib/probe';
import { createNodeTransport } from '@/lib/probe/transport-node';
import type { Lab } from '../lab';
import { labHost } from '../scenarios';

export async function probeLab(lab: Pick<Lab, 'port' | 'address'>, scenario: string, path = '/app', requests = 20) {
  const host = labHost(scenario);
  const spec = parseProbeSpec({
    target: `http://${host}:${lab.port}${path}`,
    requests,
    intervalMs: 0,
    resolve: [`${host}:${lab.port}:${lab.address}`],
  });
  const transport = createNodeTransport({ resolve: spec.resolve });
  try {
    return await runProbe(spec, transport);
  } finally {
    await transport.close();
  }
}
