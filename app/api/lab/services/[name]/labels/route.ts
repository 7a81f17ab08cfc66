import { InputError } from '@/lib/errors';
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
    const change = labelChangeSchema.safeParse(body);
    if (!change.success) {
      throw new InputError(
        'invalid label edit',
        change.error.issues.map((i) => `${i.path.map(String).join('.') || 'body'}: ${i.message}`),
      );
    }
    return Response.json({ service: await editLabServiceLabels(name, change.data) }, { headers: noStore });
  } catch (error) {
    return errorResponse(error);
  }
}
