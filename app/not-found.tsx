import { NotFoundPanel } from '@/components/ui/not-found-panel';

export default function NotFound() {
  return (
    <main className="mx-auto max-w-xl px-6 py-16">
      <NotFoundPanel title="Page not found" reason="Nothing lives at this address." back={{ href: '/', label: 'Go to the overview' }} />
    </main>
  );
}
