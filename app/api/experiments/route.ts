import { getConfig } from '@/lib/env';
import { experimentsDisabled, ExperimentError } from '@/lib/experiments/errors';
import { confirmExperiment, getExperimentsStatus, logRefusedRequest, previewExperiment } from '@/lib/experiments';
import { EXPERIMENT_REQUEST_BYTES, EXPERIMENT_REQUEST_HINT, parseExperimentRequest } from '@/lib/experiments/request';
import { errorResponse, noStore, readJsonBody } from '@/lib/http';
import { requestClientAddress } from '@/lib/web/client-address';

export const dynamic = 'force-dynamic';

/** Who asked, as well as a dashboard without accounts can tell: the address only trusted proxies may vouch for. */
function requester(headers: Headers): string {
  const address = requestClientAddress(headers, getConfig().web.trustedProxies) ?? 'unknown address';
  const agent = (headers.get('user-agent') ?? 'unknown client').slice(0, 80);
  return `dashboard ${address} (${agent})`;
}

function experimentErrorResponse(error: unknown): Response {
  if (error instanceof ExperimentError) {
    return Response.json({ error: { code: error.code, message: error.message } }, { status: error.status, headers: noStore });
  }
  return errorResponse(error);
}

export async function GET() {
  try {
    return Response.json(await getExperimentsStatus(), { headers: noStore });
  } catch (error) {
    return errorResponse(error);
  }
}

export async function POST(request: Request) {
  const who = requester(request.headers);
  let body: ReturnType<typeof parseExperimentRequest>;
  try {
    if (!getConfig().experiments.enabled) throw experimentsDisabled();
    // JSON only (readJsonBody insists): another site's page cannot send it without a CORS preflight, never granted.
    body = parseExperimentRequest(await readJsonBody(request, EXPERIMENT_REQUEST_BYTES, EXPERIMENT_REQUEST_HINT));
  } catch (error) {
    await logRefusedRequest(who, error);
    return experimentErrorResponse(error);
  }
  try {
    const target = { action: body.action, service: body.service, taskId: body.taskId, replica: body.replica };
    const result = body.step === 'preview' ? await previewExperiment(target, who) : await confirmExperiment(target, body.token, who);
    return Response.json(result, { headers: noStore });
  } catch (error) {
    return experimentErrorResponse(error);
  }
}
