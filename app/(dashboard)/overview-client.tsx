'use client';

import { FindingsSummary } from '@/components/findings/findings-summary';
import { useFindings } from '@/components/findings/use-findings';
import { EmptyCluster } from '@/components/layout/empty-cluster';
import { isLabAlone, LabBanner } from '@/components/layout/lab-banner';
import { UpdatedAgo } from '@/components/layout/updated-ago';
import { RefreshError } from '@/components/services/refresh-error';
import { ServicesTable } from '@/components/services/services-table';
import { SourceStatus } from '@/components/services/source-status';
import { useTopology } from '@/components/services/use-topology';
import { Panel } from '@/components/ui/panel';
import { affinityMatters } from '@/lib/topology/select';

export function OverviewClient({ refreshMs }: { refreshMs: number }) {
  const { data, error, dataUpdatedAt } = useTopology(refreshMs);
  const findings = useFindings(data);
  if (!data) return <RefreshError error={error} />;

  const noCluster = !data.sources.lab && data.sources.docker.status === 'off' && data.sources.traefik.status === 'off';
  const relevant = data.services.filter(affinityMatters);
  const others = data.services.filter((s) => !affinityMatters(s));
  const nodesReady = data.nodes.filter((n) => n.state === 'ready').length;

  return (
    <div className="space-y-6">
      <div className="flex items-end justify-between gap-4">
        <div>
          <h1 className="text-xl font-semibold tracking-tight">Overview</h1>
          {data.nodes.length > 0 ? (
            <p className="text-sm text-slate-600">
              {data.nodes.length} node{data.nodes.length === 1 ? '' : 's'} ({nodesReady} ready) · {data.services.length} services
            </p>
          ) : null}
        </div>
        <UpdatedAgo at={dataUpdatedAt} staleAfterMs={refreshMs * 3 + 2000} />
      </div>
      <RefreshError error={error} />
      {data.sources.lab ? <LabBanner lab={data.sources.lab} sources={data.sources} /> : null}
      {isLabAlone(data.sources) ? null : <SourceStatus sources={data.sources} />}
      {!noCluster ? <FindingsSummary findings={findings} /> : null}
      {noCluster ? (
        <EmptyCluster />
      ) : (
        <>
          <Panel id="affinity" title={`Services where affinity matters (${relevant.length})`}>
            {relevant.length > 0 ? (
              <ServicesTable services={relevant} findings={findings} caption="Routed services with more than one replica" />
            ) : (
              <p className="text-sm text-slate-600">No service is both routed by Traefik and running more than one replica.</p>
            )}
          </Panel>
          {others.length > 0 ? (
            <Panel id="others" title={`Other services (${others.length})`}>
              <ServicesTable services={others} findings={findings} caption="Other services" />
            </Panel>
          ) : null}
        </>
      )}
    </div>
  );
}
