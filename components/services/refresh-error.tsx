export function RefreshError({ error }: { error: Error | null }) {
  if (!error) return null;
  return (
    <p role="alert" className="rounded border border-down/30 bg-down/5 px-3 py-2 text-sm text-down">
      Refreshing failed: {error.message}. Showing the last good data.
    </p>
  );
}
