// A stored report as the author and a share link see it: facts of the run, the verdict and diagnosis (rendered on the
// server, readable without JavaScript), the live page's charts, the service as the dashboard saw it, and the spec.
import { FailoverSummary } from '@/components/experiments/failover-summary';
import { FindingCard } from '@/components/findings/finding-card';
import { RunFindings } from '@/components/probes/run-findings';
import { ProtocolPanel } from '@/components/probes/protocol-panel';
import { RunErrors } from '@/components/probes/run-errors';
import { VerdictBanner } from '@/components/probes/verdict-banner';
import { StickySummary } from '@/components/services/sticky-summary';
import { Badge, type Tone } from '@/components/ui/badge';
import { Panel } from '@/components/ui/panel';
import { traefikCookieDecoder } from '@/lib/probe/traefik-decoder';
import type { Report, ReportStatus } from '@/lib/reports/schema';
import { toReportView, type ReportView } from '@/lib/reports/view';
import { ReportCharts } from './report-charts';
import { replicaLabeler, replicaLookup } from './replica-label';
import { ReportSpec } from './report-spec';

export const STATUS_TONE = { running: 'info', complete: 'healthy', stopped: 'degraded', incomplete: 'degraded' } satisfies Record<ReportStatus, Tone>;

const STATUS_NOTE: Record<ReportStatus, string | null> = {
  running: 'The run is still going; this page shows what has been saved so far.',
  complete: null,
  stopped: 'The run was stopped before it sent every request; the records it got are kept.',
  incomplete:
    'The dashboard stopped while this run was going, so the run never reported its end. Every record the dashboard had acknowledged is kept; the verdict and diagnosis are rebuilt from them.',
};

/** Times in UTC, the same on the server and in every reader's browser. */
export function formatTime(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 19).replace('T', ' ')} UTC`;
}

export function reportViewOf(report: Report): ReportView {
  const servers = report.topology?.service.servers.map((s) => s.url) ?? [];
  return toReportView(report, { decode: servers.length ? traefikCookieDecoder(servers) : undefined });
}

function Fact({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <div>
      <dt className="text-xs text-slate-500">{label}</dt>
      <dd className="font-mono text-sm text-slate-900">{children}</dd>
    </div>
  );
}

export function ReportBody({ report, view }: { report: Report; view: ReportView }) {
  const service = report.topology?.service ?? null;
  const label = replicaLabeler(replicaLookup(service));
  const note = STATUS_NOTE[report.status];
  return (
    <div className="space-y-6 print:[&_section]:break-inside-avoid">
      <section aria-label="Run" className="rounded-lg border border-slate-200 bg-white p-4 shadow-sm print:shadow-none">
        <p className="flex flex-wrap items-center gap-2">
          <span className="break-all font-mono text-sm text-slate-900">
            {report.spec.method} {report.spec.target}
          </span>
          <Badge tone={STATUS_TONE[report.status]}>{report.status}</Badge>
          {report.redaction.applied ? <Badge tone="info">redacted</Badge> : null}
        </p>
        <dl className="mt-3 grid grid-cols-2 gap-x-6 gap-y-2 sm:grid-cols-4">
          <Fact label="Started">{formatTime(report.startedAt)}</Fact>
          <Fact label="Ended">{report.endedAt === null ? '—' : formatTime(report.endedAt)}</Fact>
          <Fact label="Requests">
            {report.records.length.toLocaleString('en')} of {report.spec.requests.toLocaleString('en')}
          </Fact>
          <Fact label="Dashboard">{report.dashboardVersion}</Fact>
        </dl>
        <p className="mt-3 text-sm text-slate-700">
          Expected <strong>{view.expectation.expect}</strong>: {view.expectation.holds ? 'holds' : 'does not hold'} — {view.expectation.message}
        </p>
        {note ? (
          <p role="note" className="mt-2 rounded border border-degraded/40 bg-degraded/10 px-3 py-2 text-sm text-amber-900">
            {note}
          </p>
        ) : null}
      </section>

      {view.verdict.total > 0 ? (
        <>
          <VerdictBanner verdict={view.verdict} diagnosis={view.diagnosis} status={report.status === 'running' ? 'running' : 'done'} label={label} />
          <FailoverSummary measured={report.experiments} />
          <RunFindings diagnosis={view.diagnosis} findings={report.topology?.findings} />
          <ProtocolPanel protocol={view.protocol} diagnosis={view.diagnosis} label={label} />
          <RunErrors verdict={view.verdict} samples={view.errorSamples} />
          <ReportCharts
            view={{ lanes: view.lanes, snapshot: view.snapshot, cookies: view.cookies, axisTotal: view.axisTotal }}
            service={service}
            experiments={report.experiments}
          />
        </>
      ) : (
        <p className="rounded-lg border border-dashed border-slate-300 bg-white px-6 py-8 text-center text-sm text-slate-500">
          No request of this run was saved, so there is no verdict.
        </p>
      )}

      {report.topology ? (
        <Panel id="service" title={`Service ${report.topology.service.name} when the run started`}>
          <div className="space-y-3 text-sm">
            <p className="flex flex-wrap items-center gap-2 text-slate-600">
              <span>
                {report.topology.service.replicas.running} of {report.topology.service.replicas.desired ?? '?'} replicas running
              </span>
              <StickySummary sticky={report.topology.service.sticky} matters={report.topology.service.replicas.running > 1} />
              <span className="text-xs text-slate-500">topology read {report.topology.generatedAt}</span>
            </p>
            {report.topology.findings.length ? (
              <div className="space-y-3">
                {report.topology.findings.map((f, i) => (
                  <FindingCard key={`${f.rule}-${i}`} finding={f} />
                ))}
              </div>
            ) : (
              <p className="text-slate-500">No finding for this service.</p>
            )}
          </div>
        </Panel>
      ) : null}

      <Panel id="spec" title="Probe settings">
        <ReportSpec spec={report.spec} />
      </Panel>
    </div>
  );
}
