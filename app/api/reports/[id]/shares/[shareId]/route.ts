import { getReportStore } from '@/lib/reports';
import { noContentResponse, notFoundResponse, reportErrorResponse } from '@/lib/reports/http';

export const dynamic = 'force-dynamic';

type Context = { params: Promise<{ id: string; shareId: string }> };

/** Revokes a link: from now on it answers 404. */
export async function DELETE(_request: Request, { params }: Context) {
  try {
    const { id, shareId } = await params;
    const store = await getReportStore();
    // A live link must belong to this report; an expired one can no longer be told apart and is revoked as asked.
    const shared = await store.resolveShare(shareId);
    if (shared && shared.id !== id) return notFoundResponse(`share link of report ${id}`);
    const revoked = await store.revokeShare(shareId);
    return revoked ? noContentResponse() : notFoundResponse(`share link of report ${id}`);
  } catch (error) {
    return reportErrorResponse(error);
  }
}
