import { getReportStore } from '@/lib/reports';
import { appendExperimentsSchema } from '@/lib/reports/api-schema';
import { REPORT_LIMITS } from '@/lib/reports/limits';
import { parseInput } from '@/lib/validation';
import { jsonResponse, readJsonBody, reportErrorResponse } from '@/lib/reports/http';

export const dynamic = 'force-dynamic';

type Context = { params: Promise<{ id: string }> };

/** Adds failover experiments sent during a running report's run; answered once they are committed. */
export async function POST(request: Request, { params }: Context) {
  try {
    const { id } = await params;
    const { experiments } = parseInput(appendExperimentsSchema, await readJsonBody(request, REPORT_LIMITS.experimentsBytes), 'experiment events');
    await (await getReportStore()).appendExperiments(id, experiments);
    return jsonResponse({ acknowledged: experiments.length });
  } catch (error) {
    return reportErrorResponse(error);
  }
}
