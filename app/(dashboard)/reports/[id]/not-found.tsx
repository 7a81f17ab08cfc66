import { NotFoundPanel } from '@/components/ui/not-found-panel';

export default function ReportNotFound() {
  return <NotFoundPanel title="No such report" reason="It may have been deleted." back={{ href: '/reports', label: 'Back to the reports' }} />;
}
