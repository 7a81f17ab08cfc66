import Link from 'next/link';

/** What a not-found page says: what is missing, why it may be, and where to go instead (when the reader can). */
export function NotFoundPanel({ title, reason, back }: { title: string; reason: string; back?: { href: string; label: string } }) {
  return (
    <div className="rounded-lg border border-slate-200 bg-white p-6">
      <h1 className="font-semibold">{title}</h1>
      <p className="mt-1 text-sm text-slate-600">{reason}</p>
      {back && (
        <Link href={back.href} className="mt-3 inline-block text-sm text-info hover:underline">
          {back.label}
        </Link>
      )}
    </div>
  );
}
