export default function SharedReportNotFound() {
  return (
    <main className="mx-auto max-w-xl px-6 py-16">
      <div className="rounded-lg border border-slate-200 bg-white p-6">
        <h1 className="font-semibold">This report link does not work</h1>
        <p className="mt-1 text-sm text-slate-600">It may be mistyped, expired, or revoked by its author. Ask them for a new link.</p>
      </div>
    </main>
  );
}
