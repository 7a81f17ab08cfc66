import type { TopologyTask } from '@/lib/topology/types';
import { Badge, type Tone } from '@/components/ui/badge';

function stateTone(task: TopologyTask): Tone {
  if (task.state === 'running') return 'healthy';
  if (['failed', 'rejected', 'orphaned'].includes(task.state)) return 'down';
  if (['shutdown', 'complete', 'remove'].includes(task.state)) return 'unknown';
  return 'degraded';
}

export function TasksTable({ tasks }: { tasks: TopologyTask[] }) {
  if (tasks.length === 0) return <p className="text-sm text-slate-600">No tasks.</p>;
  return (
    <div className="relative overflow-x-auto">
      <table className="w-full text-left text-sm">
        <caption className="sr-only">Tasks</caption>
        <thead className="text-xs uppercase tracking-wide text-slate-500">
          <tr>
            <th className="py-2 pr-4 font-medium">Slot</th>
            <th className="py-2 pr-4 font-medium">State</th>
            <th className="py-2 pr-4 font-medium">Node</th>
            <th className="py-2 pr-4 font-medium">Addresses</th>
            <th className="py-2 pr-4 font-medium">Hostname</th>
            <th className="py-2 font-medium">Container</th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {tasks.map((task) => (
            <tr key={task.id} data-task={task.id}>
              <td className="py-2 pr-4 tabular-nums">{task.slot ?? '—'}</td>
              <td className="py-2 pr-4">
                <Badge tone={stateTone(task)}>{task.state}</Badge>
                {task.desiredState !== task.state ? <span className="ml-1 text-xs text-slate-500">→ {task.desiredState}</span> : null}
                {task.error ? <p className="mt-1 text-xs text-down">{task.error}</p> : null}
              </td>
              <td className="py-2 pr-4">{task.node ?? '—'}</td>
              <td className="py-2 pr-4 font-mono text-xs">
                {task.networks.length > 0
                  ? task.networks.map((n) => (
                      <div key={`${n.name}-${n.ip}`}>
                        {n.ip} <span className="text-slate-400">{n.name}</span>
                      </div>
                    ))
                  : <span className="text-slate-400">host network</span>}
              </td>
              <td className="py-2 pr-4 font-mono text-xs">{task.hostname ?? '—'}</td>
              <td className="py-2 font-mono text-xs">{task.containerId?.slice(0, 12) ?? '—'}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
