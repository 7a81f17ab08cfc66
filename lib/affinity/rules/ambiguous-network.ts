import type { TopologyService } from '@/lib/topology/types';
import { docs } from '../docs';
import { ev, isRouted } from '../facts';
import { makeFinding } from '../finding';
import { labelFix } from '../fix';
import { providerLabels, providerPrefix } from '../labels';
import type { Evidence, Rule } from '../types';

// Tasks with ingress-published ports sit on `ingress` too. Traefik lists every swarm-scoped network, ingress
// included, so ingress counts as a network it may pick; it is never the one to suggest.
const suggestable = (name: string | null) => name !== 'ingress';

function candidateNetworks(service: TopologyService): string[] {
  const perTask = service.tasks
    .filter((t) => t.state === 'running')
    .map((t) => new Set(t.networks.map((n) => n.name).filter((n): n is string => n !== null && suggestable(n))));
  const [first, ...rest] = perTask;
  return first ? [...first].filter((n) => rest.every((set) => set.has(n))) : [];
}

/** The label-derived servers' own account of how Traefik chose their network, where the label reader gave one. */
function labelMisses(service: TopologyService): Evidence[] {
  return service.labelConfig.services.flatMap((s) =>
    s.servers
      .filter((srv) => srv.networkChoice === 'label-missing-prefix' || srv.networkChoice === 'label-not-found')
      .map((srv) => ev('server network', `${srv.url}: ${srv.networkChoice}`)),
  );
}

export const ambiguousNetwork: Rule = {
  id: 'ambiguous-network',
  severity: 'warning',
  title: 'Tasks on several networks, none chosen for Traefik',
  why: 'Unless a network label names a network the tasks are attached to, Traefik takes whichever network it meets first for each task; the server URL, and with it the cookie value, can change on a refresh and users are re-pinned.',
  docs: docs.swarmLabels,
  evaluate(service, _topology, context) {
    if (!isRouted(service)) return [];
    const multi = service.tasks.filter((t) => new Set(t.networks.map((n) => n.name ?? n.ip)).size > 1);
    if (multi.length === 0) return [];
    const labels = providerLabels(service, 'network');
    const configured = service.labelConfig.network ?? labels[0]?.value ?? null;
    const attached = new Set(multi.flatMap((t) => t.networks.map((n) => n.name)));
    // Traefik matches the label against network names exactly; a stack file's `net` is attached as `<stack>_net`.
    const prefixed = configured && service.stack ? `${service.stack}_${configured}` : null;
    const labelWorks = configured !== null && attached.has(configured);
    if (labelWorks) return [];
    const key = labels[0]?.key ?? `${providerPrefix(service, context)}.network`;
    const candidate = prefixed && attached.has(prefixed) ? prefixed : candidateNetworks(service)[0];
    return [
      makeFinding(ambiguousNetwork, service, {
        message: configured
          ? `The network label names ${configured}, which the tasks are not attached to under that name, so Traefik picks any of their networks and the address can change.`
          : `${multi.length} task${multi.length > 1 ? 's are' : ' is'} attached to several networks and no network label says which one Traefik should use, so the address Traefik picks can change.`,
        evidence: [
          ...labels.map((l) => ev(l.key, l.value)),
          ...multi.map((t) => ev(`task slot ${t.slot ?? '-'}`, t.networks.map((n) => `${n.name ?? '?'}=${n.ip}`).join(', '))),
          ...labelMisses(service),
        ],
        fix: candidate
          ? labelFix(service, { set: { [key]: candidate }, note: `Use the network Traefik itself is attached to. Not needed if Traefik’s static providers.${key.split('.')[1]}.network already names it.` })
          : { labelsToAdd: {}, labelsToRemove: [], note: `Set ${key} to the network Traefik shares with this service.` },
      }),
    ];
  },
};
