import { errorResponse, noStore } from '@/lib/http';
import { resetLabService } from '@/lib/lab/edits';

export const dynamic = 'force-dynamic';

type Context = { params: Promise<{ name: string }> };

/** Puts back a demo lab service's scenario labels. */
export async function POST(_request: Request, { params }: Context) {
  try {
    const { name } = await params;
    return Response.json({ service: await resetLabService(name) }, { headers: noStore });
  } catch (error) {
    return errorResponse(error);
  }
}
