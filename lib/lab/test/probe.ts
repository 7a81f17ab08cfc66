// Test-only: the real probe engine against one lab host, through an address override to the lab balancer, with
// WebSocket upgrades for engine.io probes as the CLI and the relay do.
import { parseProbeSpec, runProbe } from '@/lib/probe';
import { withUpgrade } from '@/lib/probe/protocols/upgrade-node';
import type { ProbeSpecInput } from '@/lib/probe/spec';
import { createNodeTransport } from '@/lib/probe/transport-node';
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
  const http = createNodeTransport({ resolve: parsed.resolve });
  const transport = parsed.protocol === 'engineio' ? withUpgrade(http, { resolve: parsed.resolve }) : http;
  try {
    return await runProbe(parsed, transport);
  } finally {
    await transport.close();
  }
}
