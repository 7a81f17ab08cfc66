import { countBySeverity, evaluateTopology } from '@/lib/affinity/evaluate';
import { errorResponse, noStore } from '@/lib/http';
import { getTopology } from '@/lib/topology';

export const dynamic = 'force-dynamic';

export async function GET() {
  try {
    const topology = await getTopology();
    const findings = evaluateTopology(topology);
    return Response.json(
      { generatedAt: topology.generatedAt, sources: topology.sources, counts: countBySeverity(findings), findings },
      { headers: noStore },
    );
  } catch (error) {
    return errorResponse(error);
  }
}
