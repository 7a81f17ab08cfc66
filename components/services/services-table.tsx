import Link from 'next/link';
import type { Finding } from '@/lib/affinity/types';
import type { TopologyService } from '@/lib/topology/types';
import { ServiceFindingsBadge } from '@/components/findings/findings-summary';
import { affinityMatters, routerHosts } from '@/lib/topology/select';
import { Badge } from '@/components/ui/badge';
import { StickySummary } from './sticky-summary';

function ReplicaCount({ service }: { service: TopologyService }) {
  const { desired, running } = service.replicas;
  const short = desired !== null && running < desired;
  return (
    <span className={short ? 'font-medium text-down' : undefined}>
      {running}/{desired ?? 'global'}
    </span>
  );
}

export function ServicesTable({ services, caption, findings }: { services: TopologyService[]; caption: string; findings: Finding[] }) {
  return (
    <div className="relative overflow-x-auto">
      <table className="w-full text-left text-sm">
        <caption className="sr-only">{caption}</caption>
        <thead className="text-xs uppercase tracking-wide text-slate-500">
          <tr>
            <th className="py-2 pr-4 font-medium">Service</th>
            <th className="py-2 pr-4 font-medium">Replicas</th>
            <th className="py-2 pr-4 font-medium">Endpoint</th>
            <th className="py-2 pr-4 font-medium">Hosts</th>
            <th className="py-2 pr-4 font-medium">Sticky</th>
            <th className="py-2 font-medium">Findings</th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {services.map((service) => (
            <tr key={service.id} data-service={service.name}>
              <td className="py-2 pr-4">
                <Link href={`/services/${encodeURIComponent(service.id)}`} className="font-medium text-info hover:underline">
                  {service.name}
                </Link>
                {service.lab ? (
                  <span className="ml-2 inline-flex gap-1">
                    <Badge tone="info" title="A service of the embedded demo lab, not of your cluster">
                      demo lab
                    </Badge>
                    {service.lab.edited ? <Badge tone="degraded">labels edited</Badge> : null}
                    {service.lab.emulation ? (
                      <Badge tone="neutral" title={service.lab.emulation}>
                        emulation
                      </Badge>
                    ) : null}
                  </span>
                ) : service.stack ? (
                  <span className="ml-2 text-xs text-slate-500">stack {service.stack}</span>
                ) : null}
              </td>
              <td className="py-2 pr-4 tabular-nums">
                <ReplicaCount service={service} />
              </td>
              <td className="py-2 pr-4">
                <Badge tone="neutral">{service.endpointMode}</Badge>
              </td>
              <td className="py-2 pr-4 font-mono text-xs">{routerHosts(service).join(', ') ||
                  (service.traefikWarnings.length > 0 ? (
                    <span className="text-amber-800" title={service.traefikWarnings.join('\n')}>
                      skipped by Traefik
                    </span>
                  ) : (
                    <span className="text-slate-400">not routed</span>
                  ))}</td>
              <td className="py-2 pr-4">
                <StickySummary sticky={service.sticky} matters={affinityMatters(service)} />
                {service.traefikOrigin === 'labels' && service.routers.length > 0 ? (
                  <span className="ml-1 text-xs text-slate-500">(from labels)</span>
                ) : null}
              </td>
              <td className="py-2">
                <ServiceFindingsBadge findings={findings.filter((f) => f.service === service.name)} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
