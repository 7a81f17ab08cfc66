import type { ReplicaMatch } from '@/lib/topology/replica-map';
import type { LatencyStats, ProbeSnapshot } from '@/lib/probe/types';
import { replicaColor } from '@/components/charts/palette';

/** Each replica seen, the Swarm task behind it when the topology says, and its share and latency. */
export function ReplicaTable({
  snapshot,
  lookup,
  topologyLoaded,
}: {
  snapshot: ProbeSnapshot;
  lookup: (replica: string) => ReplicaMatch | null;
  topologyLoaded: boolean;
}) {
  const latency = new Map<string | null, LatencyStats>(snapshot.latency.map((l) => [l.replica, l]));
  return (
    <div className="relative overflow-x-auto">
      <table aria-label="Replicas" className="w-full text-left text-sm">
        <thead className="text-xs uppercase tracking-wide text-slate-500">
          <tr className="border-b border-slate-200">
            <th className="py-1.5 pr-3 font-medium">Replica identity</th>
            <th className="py-1.5 pr-3 font-medium">Swarm task</th>
            <th className="py-1.5 pr-3 text-right font-medium">Responses</th>
            <th className="py-1.5 pr-3 text-right font-medium">Share</th>
            <th className="py-1.5 text-right font-medium">p50</th>
          </tr>
        </thead>
        <tbody>
          {snapshot.replicas.map((r, i) => {
            const m = lookup(r.id);
            const l = latency.get(r.id);
            return (
              <tr key={r.id} className="border-b border-slate-100 last:border-0">
                <td className="py-1.5 pr-3 font-mono text-xs">
                  <span aria-hidden className="mr-2 inline-block h-2.5 w-2.5 rounded-sm align-middle" style={{ background: replicaColor(i) }} />
                  {r.id}
                </td>
                <td className="py-1.5 pr-3 text-xs">
                  {m?.task ? (
                    <span>
                      <span className="font-medium text-slate-900">{m.task.taskName}</span>
                      <span className="text-slate-500">
                        {' '}
                        · slot {m.task.slot ?? '—'} · {m.task.node ?? 'node ?'} · by {m.task.via}
                      </span>
                    </span>
                  ) : m && !m.task ? (
                    <span className="text-amber-700" title={m.ambiguous.map((t) => t.taskName).join(', ')}>
                      ambiguous: {m.ambiguous.length} tasks ({m.ambiguous.slice(0, 3).map((t) => t.taskName).join(', ')}
                      {m.ambiguous.length > 3 ? ', …' : ''}); pick the service
                    </span>
                  ) : (
                    <span className="text-slate-400">{topologyLoaded ? 'no matching task' : 'no topology loaded'}</span>
                  )}
                </td>
                <td className="py-1.5 pr-3 text-right font-mono text-xs tabular-nums">{r.count.toLocaleString('en')}</td>
                <td className="py-1.5 pr-3 text-right font-mono text-xs tabular-nums">{(r.share * 100).toFixed(1)}%</td>
                <td className="py-1.5 text-right font-mono text-xs tabular-nums">{l ? `${l.p50Ms.toFixed(1)} ms` : '—'}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
