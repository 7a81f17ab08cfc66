import { getReportStore } from '@/lib/reports';
import { noContentResponse, notFoundResponse, reportErrorResponse } from '@/lib/reports/http';

export const dynamic = 'force-dynamic';

type Context = { params: Promise<{ id: string; shareId: string }> };

/** Revokes a link of this report, expired or not: from now on it answers 404. */
export async function DELETE(_request: Request, { params }: Context) {
  try {
    const { id, shareId } = await params;
    const revoked = await (await getReportStore()).revokeShare(id, shareId);
    return revoked ? noContentResponse() : notFoundResponse(`share link of report ${id}`);
  } catch (error) {
    return reportErrorResponse(error);
  }
}
