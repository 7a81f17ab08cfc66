import { getReportStore } from '@/lib/reports';
import { finishRunSchema } from '@/lib/reports/api-schema';
import { REPORT_LIMITS } from '@/lib/reports/limits';
import { parseInput } from '@/lib/validation';
import { jsonResponse, readJsonBody, reportErrorResponse } from '@/lib/reports/http';

export const dynamic = 'force-dynamic';

type Context = { params: Promise<{ id: string }> };

/** Closes a running report with how the run ended and what it found. */
export async function POST(request: Request, { params }: Context) {
  try {
    const { id } = await params;
    const finish = parseInput(finishRunSchema, await readJsonBody(request, REPORT_LIMITS.finishBytes), 'run outcome');
    const { status, records } = await (await getReportStore()).finishReport(id, finish);
    return jsonResponse({ id, status, records });
  } catch (error) {
    return reportErrorResponse(error);
  }
}
