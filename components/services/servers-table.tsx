import type { TopologyService } from '@/lib/topology/types';
import { Badge } from '@/components/ui/badge';

export function ServersTable({ service }: { service: TopologyService }) {
  const taskById = new Map(service.tasks.map((t) => [t.id, t]));
  const multipleServices = service.traefikServices.length > 1;
  const unrouted = service.unroutedTaskIds.map((id) => taskById.get(id)).filter((t) => t !== undefined);
  if (service.servers.length === 0 && unrouted.length === 0) {
    return <p className="text-sm text-slate-600">Traefik lists no servers for this service.</p>;
  }
  return (
    <div className="relative overflow-x-auto">
      <table className="w-full text-left text-sm">
        <caption className="sr-only">Traefik servers and the Swarm tasks behind them</caption>
        <thead className="text-xs uppercase tracking-wide text-slate-500">
          <tr>
            <th className="py-2 pr-4 font-medium">Server URL</th>
            <th className="py-2 pr-4 font-medium">Status</th>
            <th className="py-2 font-medium">Swarm task</th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {service.servers.map((server) => {
            const task = server.taskId ? taskById.get(server.taskId) : undefined;
            return (
              <tr key={`${server.traefikService ?? ""} ${server.url}`}>
                <td className="py-2 pr-4 font-mono text-xs">
                  {server.url}
                  {multipleServices && server.traefikService ? <span className="ml-2 text-slate-400">{server.traefikService}</span> : null}
                </td>
                <td className="py-2 pr-4">
                  {server.status ? <Badge tone={server.status === 'UP' ? 'healthy' : 'down'}>{server.status}</Badge> : <span className="text-slate-400">—</span>}
                </td>
                <td className="py-2">
                  {task ? (
                    <span>
                      slot {task.slot ?? '?'} <span className="font-mono text-xs text-slate-500">{task.id.slice(0, 12)}</span>
                    </span>
                  ) : (
                    <Badge tone="down">no running task</Badge>
                  )}
                </td>
              </tr>
            );
          })}
          {unrouted.map((task) => (
            <tr key={task.id}>
              <td className="py-2 pr-4 text-slate-400">—</td>
              <td className="py-2 pr-4" />
              <td className="py-2">
                slot {task.slot ?? '?'} <span className="font-mono text-xs text-slate-500">{task.id.slice(0, 12)}</span>{' '}
                <Badge tone="degraded">not routed by Traefik</Badge>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
