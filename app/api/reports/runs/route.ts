import { getReportStore } from '@/lib/reports';
import { createRunSchema } from '@/lib/reports/api-schema';
import { REPORT_LIMITS } from '@/lib/reports/limits';
import { parseInput } from '@/lib/validation';
import { jsonResponse, readJsonBody, reportErrorResponse } from '@/lib/reports/http';
import { getReportTopology } from '@/lib/reports/run-context';
import { DASHBOARD_VERSION } from '@/lib/reports/version';

export const dynamic = 'force-dynamic';

/** Opens a `running` report for a probe run that is starting; its records follow in batches. */
export async function POST(request: Request) {
  try {
    const input = parseInput(createRunSchema, await readJsonBody(request, REPORT_LIMITS.createBytes), 'probe run');
    const topology = await getReportTopology(input.spec, input.serviceId);
    const store = await getReportStore();
    const report = await store.createReport({
      spec: input.spec,
      startedAt: input.startedAt,
      dashboardVersion: DASHBOARD_VERSION,
      topology,
      redaction: input.redaction,
    });
    return jsonResponse({ id: report.id, status: report.status, topology: topology !== null }, { status: 201 });
  } catch (error) {
    return reportErrorResponse(error);
  }
}
