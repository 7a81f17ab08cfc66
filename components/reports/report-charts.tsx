'use client';

import { useMemo } from 'react';
import { ChartAreaShare } from '@/components/charts/chart-area-share';
import { ChartBarDistribution } from '@/components/charts/chart-bar-distribution';
import { ChartBarLatency } from '@/components/charts/chart-bar-latency';
import { ChartScatterCookies } from '@/components/charts/chart-scatter-cookies';
import { ChartScatterLanes } from '@/components/charts/chart-scatter-lanes';
import { CookieEventList, CookieStories } from '@/components/probes/cookie-stories';
import { experimentAnnotations } from '@/components/experiments/experiment-annotations';
import { ReplicaTable } from '@/components/probes/replica-table';
import { Panel } from '@/components/ui/panel';
import { toCookieMarks } from '@/lib/probe/cookie-marks';
import type { ExperimentEvent } from '@/lib/experiments/types';
import type { ReportView } from '@/lib/reports/view';
import type { TopologyService } from '@/lib/topology/types';
import { replicaLabeler, replicaLookup } from './replica-label';

/** The live Probe page's charts and tables, drawn from a stored report. */
export function ReportCharts({
  view,
  service,
  experiments = [],
}: {
  view: Pick<ReportView, 'lanes' | 'snapshot' | 'cookies' | 'axisTotal'>;
  service: TopologyService | null;
  experiments?: readonly ExperimentEvent[];
}) {
  const annotations = useMemo(() => experimentAnnotations(experiments), [experiments]);
  const lookup = useMemo(() => replicaLookup(service), [service]);
  const label = useMemo(() => replicaLabeler(lookup), [lookup]);
  const { snapshot, cookies } = view;
  const cookieMarks = useMemo(() => toCookieMarks(cookies.events, { total: view.axisTotal }), [cookies.events, view.axisTotal]);
  return (
    <div className="space-y-6">
      <Panel id="lanes" title="Which replica answered each request">
        <ChartScatterLanes view={view.lanes} label={label} annotations={annotations} />
      </Panel>
      {snapshot.replicas.length > 0 ? (
        <>
          <div className="grid gap-6 lg:grid-cols-2 print:grid-cols-1">
            <Panel id="share" title="Replica share over time">
              <ChartAreaShare snapshot={snapshot} label={label} />
            </Panel>
            <Panel id="distribution" title="Distribution">
              <ChartBarDistribution snapshot={snapshot} label={label} />
            </Panel>
          </div>
          <div className="grid gap-6 lg:grid-cols-2 print:grid-cols-1">
            <Panel id="replicas" title="Replicas and Swarm tasks">
              <ReplicaTable snapshot={snapshot} lookup={lookup} topologyLoaded={service !== null} />
            </Panel>
            <Panel id="latency" title="Latency by replica (ms)">
              <ChartBarLatency latency={snapshot.latency} label={label} />
            </Panel>
          </div>
        </>
      ) : null}
      <Panel id="cookies" title="Cookies">
        <div className="space-y-4">
          <CookieStories summary={cookies} />
          {cookies.events.length ? (
            <div className="grid gap-4 lg:grid-cols-[3fr_2fr] print:grid-cols-1">
              <ChartScatterCookies view={cookieMarks} annotations={annotations} />
              <CookieEventList summary={cookies} />
            </div>
          ) : null}
        </div>
      </Panel>
    </div>
  );
}
