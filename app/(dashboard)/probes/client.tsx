'use client';

import { memo, useCallback, useMemo, useState, type ReactNode } from 'react';
import { ChartAreaShare } from '@/components/charts/chart-area-share';
import { ChartBarDistribution } from '@/components/charts/chart-bar-distribution';
import { ChartBarLatency } from '@/components/charts/chart-bar-latency';
import { ChartScatterCookies } from '@/components/charts/chart-scatter-cookies';
import { ChartScatterLanes } from '@/components/charts/chart-scatter-lanes';
import { ExperimentPanel } from '@/components/experiments/experiment-panel';
import { FailoverSummary } from '@/components/experiments/failover-summary';
import { useRunExperiments } from '@/components/experiments/use-run-experiments';
import { FindingCard } from '@/components/findings/finding-card';
import { useFindings } from '@/components/findings/use-findings';
import { CookieEventList, CookieStories, DirectModeCookieNote } from '@/components/probes/cookie-stories';
import { ProbeForm } from '@/components/probes/probe-form';
import { ProbeProgressBar } from '@/components/probes/probe-progress';
import { ProtocolPanel } from '@/components/probes/protocol-panel';
import { ReplicaTable } from '@/components/probes/replica-table';
import { RunErrors } from '@/components/probes/run-errors';
import { RunTransportNote } from '@/components/probes/run-transport';
import { useProbeRun } from '@/components/probes/use-probe-run';
import { useReplicaLabel } from '@/components/probes/use-replica-label';
import { VerdictBanner } from '@/components/probes/verdict-banner';
import { RunReportPanel } from '@/components/reports/run-report-panel';
import { useReportSaving } from '@/components/reports/use-report-saving';
import { RunFindings } from '@/components/probes/run-findings';
import { FixAppliedNotice } from '@/components/services/fix-applied-notice';
import { LabApplyFix } from '@/components/services/lab-apply-fix';
import { useTopology } from '@/components/services/use-topology';
import { Badge } from '@/components/ui/badge';
import { Panel } from '@/components/ui/panel';
import type { Finding } from '@/lib/affinity/types';
import type { ProbeMode } from '@/lib/probe/form';
import type { ProbeSpec } from '@/lib/probe/spec';
import type { ProbeTransportKind } from '@/lib/probe/types';
import { traefikCookieDecoder } from '@/lib/probe/traefik-decoder';
import { buildReplicaIndex, replicaScopeOfRun, serverUrlsOf } from '@/lib/topology/replica-map';
import type { ProbePrefill } from './search-params';

// Redrawn only when its own props change, not on every tick of a live run.
const ProbeFormMemo = memo(ProbeForm);

const TRANSPORT_TITLE = {
  relay: "sent through this dashboard's relay, cookies kept by the page",
  direct: "sent by this browser's own fetch, cookies kept by the browser out of the page's sight",
  node: "sent by the probe engine's own HTTP client",
} satisfies Record<ProbeTransportKind, string>;

const ENDED_TEXT = { completed: null, 'first-break': 'stopped at the first break', aborted: 'stopped by you; records kept' } as const;

function identityText(spec: ProbeSpec): string {
  const i = spec.identity;
  if (i === 'auto') return 'auto';
  if ('header' in i) return `header ${i.header}`;
  if ('bodyRegex' in i) return `body /${i.bodyRegex}/`;
  if ('jsonField' in i) return `JSON ${i.jsonField}`;
  return `cookie ${i.cookie}`;
}

/** Stands in for a chart until the run's first redraw of it, at about its size. */
function ChartSlot({ height, children }: { height: number; children: ReactNode | null }) {
  return children ?? <div aria-hidden className="animate-pulse rounded bg-slate-100" style={{ height }} />;
}

export function ProbeClient({ prefill, refreshMs }: { prefill: ProbePrefill; refreshMs: number }) {
  // A run needs the topology only for names; a slower poll than the overview's is plenty.
  const { data: topology } = useTopology(Math.max(refreshMs, 5000));
  const [serviceId, setServiceId] = useState<string | null>(prefill.serviceId);
  // What the current run is about; its replicas are named from the topology of the moment, which may refresh mid-run.
  const [runAbout, setRunAbout] = useState<{ target: string; serviceId: string | null } | null>(null);
  const { view, start, stop, records } = useProbeRun();
  const saving = useReportSaving(serviceId);

  // The services list keeps its identity across refetches while it is unchanged, so charts labelled from it need not redraw.
  const topologyServices = topology?.services;
  const services = useMemo(() => (topologyServices ?? []).map((s) => ({ id: s.id, name: s.name })).sort((a, b) => a.name.localeCompare(b.name)), [topologyServices]);
  const lookup = useMemo(() => {
    const known = { services: topologyServices ?? [] };
    return buildReplicaIndex(known, runAbout ? replicaScopeOfRun(known, runAbout.target, runAbout.serviceId) : {});
  }, [topologyServices, runAbout]);

  const experiments = useRunExperiments(view, records, lookup, saving.recordExperiment);

  // The probed service's findings, with the demo lab's one-click fix, for the run's diagnosis to point at.
  const allFindings = useFindings(topology);
  const runService = useMemo(() => {
    if (!runAbout) return null;
    const id = replicaScopeOfRun({ services: topologyServices ?? [] }, runAbout.target, runAbout.serviceId).preferServiceIds[0];
    return topologyServices?.find((s) => s.id === id) ?? null;
  }, [topologyServices, runAbout]);
  const runFindings = useMemo(() => (runService ? allFindings.filter((f) => f.service === runService.name) : []), [allFindings, runService]);
  const [appliedFix, setAppliedFix] = useState<string | null>(null);
  const renderFinding = useCallback(
    (f: Finding) => <FindingCard finding={f} action={runService?.lab && f.fix ? <LabApplyFix serviceName={runService.name} fix={f.fix} onApplied={setAppliedFix} /> : undefined} />,
    [runService],
  );

  const onStart = useCallback(
    (spec: ProbeSpec, mode: ProbeMode) => {
      const known = { services: topologyServices ?? [] };
      setRunAbout({ target: spec.target, serviceId });
      setAppliedFix(null);
      const urls = serverUrlsOf(known, replicaScopeOfRun(known, spec.target, serviceId).preferServiceIds);
      start(spec, mode, urls.length ? traefikCookieDecoder(urls) : undefined, saving.listener);
    },
    [serviceId, topologyServices, start, saving.listener],
  );

  const running = view.status === 'running';
  const { spec, verdict, snapshot, cookies, charts } = view;
  const replicaIds = useMemo(() => Object.keys(verdict?.replicas ?? {}), [verdict]);
  const label = useReplicaLabel(lookup, replicaIds);
  const hasData = verdict !== null && verdict.total > 0;

  return (
    <div className="space-y-6">
      <div>
        <h1 className="text-xl font-semibold tracking-tight">Probe</h1>
        <p className="mt-1 max-w-3xl text-sm text-slate-600">
          Send a run of requests the way a browser would, see which replica answered each one and what every cookie did, and get a
          verdict on whether the balancer keeps a user on one replica.
        </p>
      </div>

      <Panel id="spec" title="Run">
        <ProbeFormMemo
          initial={prefill.form}
          running={running}
          services={services}
          serviceId={serviceId}
          onServiceChange={setServiceId}
          onStart={onStart}
          onStop={stop}
        />
      </Panel>

      <RunReportPanel state={saving.state} redaction={saving.redaction} options={saving.options} onOptionsChange={saving.setOptions} running={running} />

      {view.status === 'idle' ? (
        <div className="rounded-lg border border-dashed border-slate-300 bg-white px-6 py-10 text-center text-sm text-slate-500">
          No run yet. Enter the balancer&apos;s URL and press Start; results draw live while it runs.
        </div>
      ) : (
        <section aria-label="Run results" className="space-y-6">
          <div className="rounded-lg border border-slate-200 bg-white p-4 shadow-sm">
            {spec ? <RunTransportNote mode={view.mode} target={spec.target} refused={view.error?.code === 'target-not-allowed'} /> : null}
            {spec ? (
              <p className="mb-3 flex flex-wrap items-center gap-2 text-xs text-slate-600">
                <span className="font-mono text-sm text-slate-900">{spec.method} {spec.target}</span>
                <Badge tone={view.mode === 'relay' ? 'info' : 'neutral'}>mode={view.mode}</Badge>
                {(Object.entries(view.transports) as [ProbeTransportKind, number][]).map(([kind, n]) => (
                  <Badge key={kind} tone="neutral" title={TRANSPORT_TITLE[kind]}>
                    {n.toLocaleString('en')} records · {kind}
                  </Badge>
                ))}
                <Badge tone="neutral">cookies {spec.cookies}</Badge>
                <Badge tone="neutral">identity {identityText(spec)}</Badge>
                <Badge tone="neutral">concurrency {spec.concurrency}</Badge>
                {spec.protocol !== 'http' ? (
                  <Badge tone="info">
                    protocol {spec.protocol}
                    {spec.protocol === 'auto' && view.protocol && view.verdict?.total ? ` → ${view.protocol.protocol}` : ''}
                  </Badge>
                ) : null}
                {spec.resolve.map((r) => (
                  <Badge key={`${r.host}:${r.port}`} tone="neutral">
                    resolve {r.host}:{r.port}→{r.address}
                  </Badge>
                ))}
              </p>
            ) : null}
            <ProbeProgressBar progress={view.progress} status={view.status} endedEarly={view.ended ? ENDED_TEXT[view.ended] : null} />
          </div>

          {appliedFix && spec && !running ? (
            <FixAppliedNotice summary={appliedFix}>
              <button type="button" onClick={() => onStart(spec, view.mode)} className="rounded bg-slate-900 px-3 py-1.5 text-sm font-medium text-white hover:bg-slate-700">
                Probe again
              </button>
            </FixAppliedNotice>
          ) : null}

          {view.error ? (
            <div role="alert" aria-label="Run refused" className="rounded-lg border-2 border-down/50 bg-down/5 px-4 py-3">
              <p className="font-medium text-down">{view.error.code === 'target-not-allowed' ? 'The relay refused this target' : 'The run could not continue'}</p>
              <p className="mt-1 text-sm text-slate-800">{view.error.message}</p>
            </div>
          ) : null}

          {hasData && verdict ? (
            <>
              <VerdictBanner verdict={verdict} diagnosis={view.diagnosis} status={view.status} label={label} />
              {/* A failover run asked one question: its measurement is the answer, right under the verdict. */}
              <FailoverSummary measured={experiments.measured} />
              <RunFindings diagnosis={view.diagnosis} findings={runFindings} renderFinding={renderFinding} />
              {view.protocol ? <ProtocolPanel protocol={view.protocol} diagnosis={view.diagnosis} label={label} /> : null}
              <ExperimentPanel run={experiments} />
              <RunErrors verdict={verdict} samples={view.errorSamples} />
              <Panel id="lanes" title="Which replica answered each request">
                <ChartSlot height={120}>{charts.lanes ? <ChartScatterLanes view={charts.lanes} label={label} annotations={experiments.annotations} /> : null}</ChartSlot>
              </Panel>
              {snapshot && snapshot.replicas.length > 0 ? (
                <>
                  <div className="grid gap-6 lg:grid-cols-2">
                    <Panel id="share" title="Replica share over time">
                      <ChartSlot height={200}>{charts.share ? <ChartAreaShare snapshot={charts.share} label={label} /> : null}</ChartSlot>
                    </Panel>
                    <Panel id="distribution" title="Distribution">
                      <ChartSlot height={90}>{charts.distribution ? <ChartBarDistribution snapshot={charts.distribution} label={label} /> : null}</ChartSlot>
                    </Panel>
                  </div>
                  <div className="grid gap-6 lg:grid-cols-2">
                    <Panel id="replicas" title="Replicas and Swarm tasks">
                      <ReplicaTable snapshot={snapshot} lookup={lookup} topologyLoaded={Boolean(topologyServices?.length)} />
                    </Panel>
                    <Panel id="latency" title="Latency by replica (ms)">
                      <ChartSlot height={200}>{charts.latency ? <ChartBarLatency latency={charts.latency} label={label} /> : null}</ChartSlot>
                    </Panel>
                  </div>
                </>
              ) : null}
              <Panel id="cookies" title="Cookies">
                {view.mode === 'direct' && spec ? (
                  <DirectModeCookieNote target={spec.target} page={window.location.href} />
                ) : cookies ? (
                  <div className="space-y-4">
                    <CookieStories summary={cookies} />
                    {cookies.events.length ? (
                      <div className="grid gap-4 lg:grid-cols-[3fr_2fr]">
                        <ChartSlot height={100}>{charts.cookies ? <ChartScatterCookies view={charts.cookies} annotations={experiments.annotations} /> : null}</ChartSlot>
                        <CookieEventList summary={cookies} />
                      </div>
                    ) : null}
                  </div>
                ) : null}
              </Panel>
            </>
          ) : null}
        </section>
      )}
    </div>
  );
}
