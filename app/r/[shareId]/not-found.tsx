import { NotFoundPanel } from '@/components/ui/not-found-panel';

export default function SharedReportNotFound() {
  return (
    <main className="mx-auto max-w-xl px-6 py-16">
      <NotFoundPanel title="This report link does not work" reason="It may be mistyped, expired, or revoked by its author. Ask them for a new link." />
    </main>
  );
}
