import Link from 'next/link';
import { Suspense } from 'react';
import type { Report } from '@/lib/reports/schema';
import { getTopology } from '@/lib/topology';
import { isLabTarget, rerunProbeHref } from './rerun-probe';

type RerunReport = Pick<Report, 'spec' | 'records' | 'topology'>;

function RerunLink({ href }: { href: string }) {
  return (
    <p className="no-print text-sm text-slate-600">
      <Link href={href} className="font-medium text-info hover:underline">
        Run this probe again
      </Link>{' '}
      with the same settings (headers and query parameters that carry credentials are left out).
    </p>
  );
}

async function RerunOnCurrentLab({ report }: { report: RerunReport }) {
  const lab = await getTopology().then(
    (t) => t.sources.lab?.balancer ?? null,
    () => null,
  );
  return <RerunLink href={rerunProbeHref(report, lab)} />;
}

/** A demo lab run waits for the lab's current balancer port; any other run links at once. */
export function RerunProbeLink({ report }: { report: RerunReport }) {
  const plain = <RerunLink href={rerunProbeHref(report, null)} />;
  if (!isLabTarget(report.spec.target)) return plain;
  return (
    <Suspense fallback={plain}>
      <RerunOnCurrentLab report={report} />
    </Suspense>
  );
}
