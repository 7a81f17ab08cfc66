import { HydrationBoundary } from '@tanstack/react-query';
import { connection } from 'next/server';
import { prefetchTopology } from '@/lib/queries/prefetch';
import { OverviewClient } from './overview-client';

export default async function OverviewPage() {
  await connection();
  const { state, refreshIntervalMs } = await prefetchTopology();
  return (
    <HydrationBoundary state={state}>
      <OverviewClient refreshMs={refreshIntervalMs} />
    </HydrationBoundary>
  );
}
