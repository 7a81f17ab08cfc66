import { HydrationBoundary } from '@tanstack/react-query';
import type { Metadata } from 'next';
import { notFound } from 'next/navigation';
import { prefetchTopology } from '@/lib/queries/prefetch';
import { ServiceClient } from './service-client';

type Props = { params: Promise<{ serviceId: string }> };

export const metadata: Metadata = { title: 'Service' };

export default async function ServicePage({ params }: Props) {
  const { serviceId } = await params;
  const { state, topology, refreshIntervalMs } = await prefetchTopology();
  if (topology.sources.docker.status === 'ok' && !topology.services.some((s) => s.id === serviceId)) notFound();
  return (
    <HydrationBoundary state={state}>
      <ServiceClient serviceId={serviceId} refreshMs={refreshIntervalMs} />
    </HydrationBoundary>
  );
}
