import 'server-only';
// What the dashboard knew about the probed service when a run started: its topology entry and findings. A topology
// that cannot be read leaves the report without it; the run is still recorded.
import { evaluateTopology } from '@/lib/affinity/evaluate';
import type { ProbeSpec } from '@/lib/probe/spec';
import { getTopology } from '@/lib/topology';
import { servicesForHost } from '@/lib/topology/replica-map';
import { targetHost, type ReportTopology } from './schema';

export async function getReportTopology(spec: Pick<ProbeSpec, 'target'>, serviceId: string | null): Promise<ReportTopology | null> {
  try {
    const topology = await getTopology();
    const byHost = servicesForHost(topology, targetHost(spec.target));
    const service = topology.services.find((s) => s.id === serviceId) ?? topology.services.find((s) => s.id === byHost[0]);
    if (!service) return null;
    const findings = evaluateTopology(topology).filter((f) => f.service === service.name);
    return { generatedAt: topology.generatedAt, service, findings };
  } catch (error) {
    console.error('report: topology snapshot unavailable', error);
    return null;
  }
}
