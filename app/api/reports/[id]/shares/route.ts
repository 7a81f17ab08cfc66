import { getReportStore } from '@/lib/reports';
import { createShareSchema } from '@/lib/reports/api-schema';
import { REPORT_LIMITS } from '@/lib/reports/limits';
import { shareExpiry } from '@/lib/reports/share-expiry';
import { parseInput } from '@/lib/validation';
import { jsonResponse, readJsonBody, reportErrorResponse, shareOrigin, shareUrl } from '@/lib/reports/http';

export const dynamic = 'force-dynamic';

type Context = { params: Promise<{ id: string }> };

/** A new read-only link to the report; only a hash of its id is stored, so the answer is the one chance to read it. */
export async function POST(request: Request, { params }: Context) {
  try {
    const { id } = await params;
    const { expiresInHours } = parseInput(createShareSchema, await readJsonBody(request, REPORT_LIMITS.shareBytes), 'share');
    const expiresAt = shareExpiry(expiresInHours);
    const { shareId } = await (await getReportStore()).createShare(id, { expiresAt });
    return jsonResponse({ shareId, shareUrl: shareUrl(shareOrigin(request), shareId), expiresAt }, { status: 201 });
  } catch (error) {
    return reportErrorResponse(error);
  }
}
