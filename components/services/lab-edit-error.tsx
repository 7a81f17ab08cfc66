import { ApiRequestError } from '@/lib/queries/fetch-json';

/** Why the lab refused an edit, with each problem the label reader found. */
export function LabEditError({ error }: { error: Error | null }) {
  if (!error) return null;
  const issues = error instanceof ApiRequestError ? error.issues : [];
  const more = error instanceof ApiRequestError ? error.issueCount - issues.length : 0;
  return (
    <div role="alert" className="rounded border border-down/30 bg-down/5 px-3 py-2 text-sm text-down">
      <p>The lab kept its labels: {error.message}</p>
      {issues.length > 0 ? (
        <ul className="mt-1 list-disc pl-5 font-mono text-xs">
          {issues.map((issue) => (
            <li key={issue}>{issue}</li>
          ))}
          {more > 0 ? <li>and {more} more</li> : null}
        </ul>
      ) : null}
    </div>
  );
}
