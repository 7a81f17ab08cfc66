import { errorResponse, noStore } from '@/lib/http';
import { getTopology } from '@/lib/topology';

export const dynamic = 'force-dynamic';

export async function GET() {
  try {
    return Response.json(await getTopology(), { headers: noStore });
  } catch (error) {
    return errorResponse(error);
  }
}
