import { getReportStore } from '@/lib/reports';
import { appendRecordsSchema } from '@/lib/reports/api-schema';
import { REPORT_LIMITS } from '@/lib/reports/limits';
import { parseInput } from '@/lib/validation';
import { toRecordsCsv } from '@/lib/reports/csv';
import { attachment, jsonResponse, notFoundResponse, readJsonBody, reportErrorResponse } from '@/lib/reports/http';

export const dynamic = 'force-dynamic';

type Context = { params: Promise<{ id: string }> };

/** Adds a batch of a running report's records; the answer comes only once the batch is committed. */
export async function POST(request: Request, { params }: Context) {
  try {
    const { id } = await params;
    const { records } = parseInput(appendRecordsSchema, await readJsonBody(request, REPORT_LIMITS.batchBytes), 'record batch');
    await (await getReportStore()).appendRecords(id, records);
    return jsonResponse({ acknowledged: records.length, lastIndex: records[records.length - 1]?.index ?? null });
  } catch (error) {
    return reportErrorResponse(error);
  }
}

/** The report's records as CSV, one row per request. */
export async function GET(_request: Request, { params }: Context) {
  try {
    const { id } = await params;
    const report = await (await getReportStore()).getReport(id);
    if (!report) return notFoundResponse(`report ${id}`);
    return new Response(toRecordsCsv(report.records), {
      headers: { 'Content-Type': 'text/csv; charset=utf-8', 'Content-Disposition': attachment(report, 'csv'), 'Cache-Control': 'no-store' },
    });
  } catch (error) {
    return reportErrorResponse(error);
  }
}
