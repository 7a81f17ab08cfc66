export function LabelsList({ labels }: { labels: Record<string, string> }) {
  const entries = Object.entries(labels).sort(([a], [b]) => a.localeCompare(b));
  if (entries.length === 0) return <p className="text-sm text-slate-600">No labels.</p>;
  return (
    <ul className="space-y-0.5 font-mono text-xs">
      {entries.map(([key, value]) => (
        <li key={key} className="break-all">
          <span className={key.toLowerCase().startsWith('traefik.') ? 'text-info' : 'text-slate-500'}>{key}</span>={value}
        </li>
      ))}
    </ul>
  );
}
