import { parseInput } from '@/lib/validation';
import { errorResponse, noStore, readJsonBody } from '@/lib/http';
import { editLabServiceLabels } from '@/lib/lab/edits';
import { labelChangeSchema } from '@/lib/lab/labels';

export const dynamic = 'force-dynamic';

const MAX_BODY_BYTES = 64 * 1024;

type Context = { params: Promise<{ name: string }> };

/** Sets and removes traefik.* labels of one demo lab service: `{ "set": { key: value }, "remove": [key] }`. */
export async function PATCH(request: Request, { params }: Context) {
  try {
    const { name } = await params;
    const body = await readJsonBody(request, MAX_BODY_BYTES, 'a label edit is { "set": { "traefik.…": "value" }, "remove": ["traefik.…"] }');
    const change = parseInput(labelChangeSchema, body, 'label edit');
    return Response.json({ service: await editLabServiceLabels(name, change) }, { headers: noStore });
  } catch (error) {
    return errorResponse(error);
  }
}
