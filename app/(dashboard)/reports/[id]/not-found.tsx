import Link from 'next/link';

export default function ReportNotFound() {
  return (
    <div className="rounded-lg border border-slate-200 bg-white p-6">
      <h1 className="font-semibold">No such report</h1>
      <p className="mt-1 text-sm text-slate-600">It may have been deleted.</p>
      <Link href="/reports" className="mt-3 inline-block text-sm text-info hover:underline">
        Back to the reports
      </Link>
    </div>
  );
}
