import { getReportStore } from '@/lib/reports';
import { attachment, noContentResponse, notFoundResponse, reportErrorResponse } from '@/lib/reports/http';
import { toReportJson } from '@/lib/reports/schema';

export const dynamic = 'force-dynamic';

type Context = { params: Promise<{ id: string }> };

/** The full report in the versioned export form; `?download=1` names it as a file. */
export async function GET(request: Request, { params }: Context) {
  try {
    const { id } = await params;
    const report = await (await getReportStore()).getReport(id);
    if (!report) return notFoundResponse(`report ${id}`);
    const headers: Record<string, string> = { 'Content-Type': 'application/json', 'Cache-Control': 'no-store' };
    if (new URL(request.url).searchParams.has('download')) headers['Content-Disposition'] = attachment(report, 'json');
    return new Response(toReportJson(report), { headers });
  } catch (error) {
    return reportErrorResponse(error);
  }
}

export async function DELETE(_request: Request, { params }: Context) {
  try {
    const { id } = await params;
    const deleted = await (await getReportStore()).deleteReport(id);
    return deleted ? noContentResponse() : notFoundResponse(`report ${id}`);
  } catch (error) {
    return reportErrorResponse(error);
  }
}
