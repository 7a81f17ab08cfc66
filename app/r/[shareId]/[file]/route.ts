import { getReportStore } from '@/lib/reports';
import { toRecordsCsv } from '@/lib/reports/csv';
import { attachment, notFoundResponse, reportErrorResponse } from '@/lib/reports/http';
import { UNSTORED_REPORT_ID } from '@/lib/reports/run-export';
import { toReportJson, type Report } from '@/lib/reports/schema';
import type { ShareFileName } from '@/lib/reports/share-files';

export const dynamic = 'force-dynamic';

type Context = { params: Promise<{ shareId: string; file: string }> };

/** The files a share link offers, built from the shared copy: redacted exactly as the share page shows it. */
const SHARED_FILES: Record<ShareFileName, { type: string; extension: 'json' | 'csv'; body: (report: Report) => string }> = {
  'report.json': { type: 'application/json', extension: 'json', body: toReportJson },
  'records.csv': { type: 'text/csv; charset=utf-8', extension: 'csv', body: (report) => toRecordsCsv(report.records) },
};

/** `/r/<id>/report.json` and `/r/<id>/records.csv`, as downloads. */
export async function GET(_request: Request, { params }: Context) {
  try {
    const { shareId, file } = await params;
    const format = Object.hasOwn(SHARED_FILES, file) ? SHARED_FILES[file as ShareFileName] : undefined;
    const shared = format ? await (await getReportStore()).resolveShare(shareId) : null;
    if (!format || !shared) return notFoundResponse('this share link or file');
    // The file does not name the stored report: its id reaches the unredacted original through the API.
    const report = { ...shared, id: UNSTORED_REPORT_ID };
    return new Response(format.body(report), {
      headers: { 'Content-Type': format.type, 'Content-Disposition': attachment(report, format.extension), 'Cache-Control': 'no-store' },
    });
  } catch (error) {
    return reportErrorResponse(error);
  }
}
