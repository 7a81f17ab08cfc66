import { NotFoundPanel } from '@/components/ui/not-found-panel';

export default function ServiceNotFound() {
  return <NotFoundPanel title="No such service" reason="It may have been removed from the swarm." back={{ href: '/', label: 'Back to the overview' }} />;
}
