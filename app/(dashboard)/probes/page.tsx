import { HydrationBoundary } from '@tanstack/react-query';
import type { Metadata } from 'next';
import { prefetchTopology } from '@/lib/queries/prefetch';
import { ProbeClient } from './client';
import { parseProbeSearchParams, type ProbeSearchParams } from './search-params';

export const metadata: Metadata = { title: 'Probe' };

type Props = { searchParams: Promise<ProbeSearchParams> };

export default async function ProbesPage({ searchParams }: Props) {
  const prefill = parseProbeSearchParams(await searchParams);
  const { state, refreshIntervalMs } = await prefetchTopology();
  return (
    <HydrationBoundary state={state}>
      <ProbeClient prefill={prefill} refreshMs={refreshIntervalMs} />
    </HydrationBoundary>
  );
}
