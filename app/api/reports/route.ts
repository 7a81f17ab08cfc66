import { getReportStore } from '@/lib/reports';
import { parseReportFilter } from '@/lib/reports/api-schema';
import { REPORT_LIMITS } from '@/lib/reports/limits';
import { dashboardOrigin, jsonResponse, readJsonBodyChunks, reportErrorResponse, shareOrigin, shareUrl } from '@/lib/reports/http';
import { importReportJson } from '@/lib/reports/import';
import { shareExpiry } from '@/lib/reports/share-expiry';

export const dynamic = 'force-dynamic';

/** Stored reports, newest first: `?host=&verdict=pass|fail|inconclusive&from=YYYY-MM-DD&to=YYYY-MM-DD&limit=`. */
export async function GET(request: Request) {
  try {
    const filter = parseReportFilter(Object.fromEntries(new URL(request.url).searchParams));
    const store = await getReportStore();
    return jsonResponse({ reports: await store.listReports(filter) });
  } catch (error) {
    return reportErrorResponse(error);
  }
}

/** Imports an exported report (another dashboard's, or the CLI's) and shares it at once: `{ id, shareUrl, shareExpiresAt }`. */
export async function POST(request: Request) {
  try {
    const store = await getReportStore();
    // Read, checked and stored as it arrives; a count or size over the limits stops the read with 413.
    const imported = await importReportJson(store, readJsonBodyChunks(request, REPORT_LIMITS.importBytes, 'an exported report'));
    const expiresAt = shareExpiry();
    const { shareId } = await store.createShare(imported.id, { expiresAt });
    return jsonResponse(
      {
        id: imported.id,
        status: imported.status,
        shareUrl: shareUrl(shareOrigin(request), shareId),
        shareExpiresAt: expiresAt,
        reportUrl: `${dashboardOrigin(request)}/reports/${imported.id}`,
      },
      { status: 201 },
    );
  } catch (error) {
    return reportErrorResponse(error);
  }
}
