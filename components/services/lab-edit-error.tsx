import { ApiRequestError } from '@/lib/queries/fetch-json';

/** Why the lab refused an edit, with each problem the label reader found. */
export function LabEditError({ error }: { error: Error | null }) {
  if (!error) return null;
  const issues = error instanceof ApiRequestError ? error.issues : [];
  return (
    <div role="alert" className="rounded border border-down/30 bg-down/5 px-3 py-2 text-sm text-down">
      <p>The lab kept its labels: {error.message}</p>
      {issues.length > 0 ? (
        <ul className="mt-1 list-disc pl-5 font-mono text-xs">
          {issues.map((issue) => (
            <li key={issue}>{issue}</li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}
