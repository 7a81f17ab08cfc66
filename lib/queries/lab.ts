// Writes to the embedded demo lab's labels. Client-safe: only calls our API routes.
import type { LabelChange } from '@/lib/lab/labels';
import type { TopologyService } from '@/lib/topology/types';
import { fetchJson } from './fetch-json';

type Edited = { service: TopologyService };

const servicePath = (name: string) => `/api/lab/services/${encodeURIComponent(name)}`;

export function editLabLabels(name: string, change: Partial<LabelChange>): Promise<Edited> {
  return fetchJson<Edited>(`${servicePath(name)}/labels`, {
    method: 'PATCH',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(change),
  });
}

export function resetLabScenario(name: string): Promise<Edited> {
  return fetchJson<Edited>(`${servicePath(name)}/reset`, { method: 'POST' });
}
