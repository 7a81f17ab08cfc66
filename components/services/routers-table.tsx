import type { TraefikRouter } from '@/lib/traefik/types';
import { Badge } from '@/components/ui/badge';

export function RoutersTable({ routers }: { routers: TraefikRouter[] }) {
  if (routers.length === 0) return <p className="text-sm text-slate-600">No Traefik router sends traffic to this service.</p>;
  return (
    <div className="relative overflow-x-auto">
      <table className="w-full text-left text-sm">
        <caption className="sr-only">Routers</caption>
        <thead className="text-xs uppercase tracking-wide text-slate-500">
          <tr>
            <th className="py-2 pr-4 font-medium">Router</th>
            <th className="py-2 pr-4 font-medium">Rule</th>
            <th className="py-2 pr-4 font-medium">Entrypoints</th>
            <th className="py-2 font-medium">TLS</th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {routers.map((router) => (
            <tr key={router.name}>
              <td className="py-2 pr-4 font-mono text-xs">{router.name}</td>
              <td className="py-2 pr-4 font-mono text-xs break-all">{router.rule}</td>
              <td className="py-2 pr-4">{router.entryPoints.join(', ') || <span className="text-slate-400">all</span>}</td>
              <td className="py-2">{router.tls ? <Badge tone="healthy">TLS</Badge> : <Badge tone="neutral">plain HTTP</Badge>}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
