'use client';

import Link from 'next/link';
import { useState } from 'react';
import { FindingCard } from '@/components/findings/finding-card';
import { useFindings } from '@/components/findings/use-findings';
import { UpdatedAgo } from '@/components/layout/updated-ago';
import { FixAppliedNotice } from '@/components/services/fix-applied-notice';
import { LabApplyFix } from '@/components/services/lab-apply-fix';
import { LabLabelEditor } from '@/components/services/lab-label-editor';
import { LabelsList } from '@/components/services/labels-list';
import { RefreshError } from '@/components/services/refresh-error';
import { RoutersTable } from '@/components/services/routers-table';
import { ServersTable } from '@/components/services/servers-table';
import { StickySettings } from '@/components/services/sticky-settings';
import { SourceStatus } from '@/components/services/source-status';
import { TasksTable } from '@/components/services/tasks-table';
import { useTopology } from '@/components/services/use-topology';
import { Badge } from '@/components/ui/badge';
import { Panel } from '@/components/ui/panel';
import type { TopologyService } from '@/lib/topology/types';
import { LabBanner } from '@/components/layout/lab-banner';
import { serviceProbeLinks, type LabBalancer } from './probe-links';

export function ServiceClient({ serviceId, refreshMs }: { serviceId: string; refreshMs: number }) {
  const { data, error, dataUpdatedAt } = useTopology(refreshMs);
  const service = data?.services.find((s) => s.id === serviceId);
  const findings = useFindings(data).filter((f) => f.service === service?.name);
  const lab = service?.lab ? data?.sources.lab : undefined;
  const [applied, setApplied] = useState<string | null>(null);
  if (!data) return <RefreshError error={error} />;
  if (!service) {
    return (
      <div role="alert" className="rounded-lg border border-degraded/40 bg-white p-6">
        <p className="font-medium">This service is no longer in the cluster.</p>
        <Link href="/" className="text-sm text-info hover:underline">
          Back to the overview
        </Link>
      </div>
    );
  }

  return (
    <div className="space-y-6">
      <div className="flex items-end justify-between gap-4">
        <div>
          <p className="text-sm text-slate-500">
            <Link href="/" className="hover:underline">
              Overview
            </Link>{' '}
            / service
          </p>
          <h1 className="text-xl font-semibold tracking-tight">{service.name}</h1>
          <p className="mt-1 flex flex-wrap items-center gap-2 text-sm text-slate-600">
            <span>
              {service.replicas.running}/{service.replicas.desired ?? 'global'} replicas running
            </span>
            <Badge tone="neutral">{service.mode}</Badge>
            <Badge tone="neutral">endpoint {service.endpointMode}</Badge>
            {service.lab ? <Badge tone="info">demo lab</Badge> : service.stack ? <Badge tone="neutral">stack {service.stack}</Badge> : null}
            {service.lab?.edited ? <Badge tone="degraded">labels edited</Badge> : null}
            {service.ports.map((p) => (
              <Badge key={`${p.publishedPort}-${p.targetPort}-${p.protocol}`} tone={p.publishMode === 'ingress' ? 'degraded' : 'neutral'}>
                {p.publishedPort ?? '?'}→{p.targetPort}/{p.protocol} ({p.publishMode})
              </Badge>
            ))}
          </p>
          {service.lab ? <p className="mt-1 max-w-2xl text-sm text-slate-600">{service.lab.description}</p> : null}
          {service.lab?.emulation ? (
            <p role="note" aria-label="Emulation" className="mt-1 max-w-2xl text-sm text-amber-900">
              <Badge tone="degraded">emulation</Badge> {service.lab.emulation}
            </p>
          ) : null}
        </div>
        <div className="flex flex-col items-end gap-2">
          <ProbeLinks service={service} lab={lab?.balancer} />
          <UpdatedAgo at={dataUpdatedAt} staleAfterMs={refreshMs * 3 + 2000} />
        </div>
      </div>
      <RefreshError error={error} />
      {lab ? (
        <LabBanner lab={lab} sources={data.sources} />
      ) : data.sources.docker.status !== 'ok' || data.sources.traefik.status === 'error' ? (
        <SourceStatus sources={data.sources} />
      ) : null}
      {service.traefikWarnings.length > 0 ? (
        <div role="note" aria-label="Traefik label warnings" className="rounded-lg border border-degraded/50 bg-degraded/10 px-4 py-3 text-sm">
          <p className="font-medium text-amber-900">What Traefik makes of this service&apos;s labels</p>
          <ul className="mt-1 list-disc pl-5 text-amber-900">
            {service.traefikWarnings.map((w) => (
              <li key={w}>{w}</li>
            ))}
          </ul>
        </div>
      ) : null}
      <Panel id="findings" title={`Findings (${findings.length})`}>
        {applied ? (
          <div className="mb-3">
            <FixAppliedNotice summary={applied}>
              {serviceProbeLinks(service, lab?.balancer)
                .slice(0, 1)
                .map((link) => (
                  <Link key={link.name} href={link.href} className="font-medium text-info hover:underline">
                    Probe again
                  </Link>
                ))}
            </FixAppliedNotice>
          </div>
        ) : null}
        {findings.length > 0 ? (
          <div className="space-y-3">
            {findings.map((f, i) => (
              <FindingCard
                key={`${f.rule}-${i}`}
                finding={f}
                action={lab && f.fix ? <LabApplyFix serviceName={service.name} fix={f.fix} onApplied={setApplied} /> : undefined}
              />
            ))}
          </div>
        ) : (
          <p className="text-sm text-healthy">No affinity problem found in this service&apos;s configuration.</p>
        )}
      </Panel>
      <div className="grid gap-6 lg:grid-cols-2">
        <Panel id="routers" title="Routers">
          <RoutersTable routers={service.routers} />
        </Panel>
        <Panel id="sticky" title="Sticky cookie">
          <StickySettings service={service} />
        </Panel>
      </div>
      <Panel id="tasks" title={`Tasks (${service.tasks.length})`}>
        <TasksTable tasks={service.tasks} />
      </Panel>
      <Panel id="servers" title="Traefik servers ↔ Swarm tasks">
        <ServersTable service={service} />
      </Panel>
      {lab ? (
        <Panel id="labels" title="Labels (demo lab: editable)">
          <LabLabelEditor service={service} />
        </Panel>
      ) : (
        <Panel id="labels" title="Labels">
          <LabelsList labels={service.labels} />
        </Panel>
      )}
    </div>
  );
}

function ProbeLinks({ service, lab }: { service: TopologyService; lab?: LabBalancer }) {
  return (
    <div className="flex flex-wrap justify-end gap-2">
      {serviceProbeLinks(service, lab).map((link, i) => (
        <Link
          key={link.name}
          href={link.href}
          title={link.title}
          className={
            i === 0
              ? 'rounded bg-slate-900 px-3 py-1.5 text-sm font-medium text-white shadow-sm hover:bg-slate-700'
              : 'rounded px-3 py-1.5 text-sm font-medium text-slate-800 ring-1 ring-slate-300 hover:bg-slate-100'
          }
        >
          {link.name}
        </Link>
      ))}
    </div>
  );
}
