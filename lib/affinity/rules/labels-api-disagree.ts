import type { StickyCookie } from '@/lib/traefik/types';
import { docs } from '../docs';
import { appRouters, ev, isRouted, replicaCount } from '../facts';
import { makeFinding } from '../finding';
import { labelFix } from '../fix';
import { findLabels, routerLabel, sameName, stickyServiceName } from '../labels';
import type { Evidence, Rule } from '../types';

// Unset and default are the same to a browser: no name means generated, no path means `/`, maxAge 0 means none.
const attributes: { key: keyof StickyCookie; norm: (v: StickyCookie[keyof StickyCookie]) => string }[] = [
  { key: 'name', norm: (v) => (v === null ? '' : String(v)) },
  { key: 'secure', norm: (v) => String(v) },
  { key: 'httpOnly', norm: (v) => String(v) },
  { key: 'sameSite', norm: (v) => (v === null ? '' : String(v).toLowerCase()) },
  { key: 'maxAge', norm: (v) => String(v ?? 0) },
  { key: 'path', norm: (v) => (v === null || v === '' ? '/' : String(v)) },
  { key: 'domain', norm: (v) => (v === null ? '' : String(v).toLowerCase()) },
];

function differences(labels: StickyCookie, api: StickyCookie): Evidence[] {
  return attributes.flatMap(({ key, norm }) => {
    // Both unset means both generated; the generated names are derived from differently qualified service names.
    if (key === 'name' && labels.name === null && api.name === null) return [];
    const [l, a] = [norm(labels[key]), norm(api[key])];
    return l === a ? [] : [ev(key, `labels ${l || '(unset)'}, running ${a || '(unset)'}`)];
  });
}

export const labelsApiDisagree: Rule = {
  id: 'labels-api-disagree',
  severity: 'warning',
  title: 'Labels and running Traefik disagree',
  why: 'Users get what Traefik is running, not what the labels say; when the two differ the labels were not applied as written, or something else configures the service.',
  docs: docs.sticky,
  evaluate(service) {
    if (service.traefikOrigin !== 'api') return [];
    const stickyLabels = findLabels(service.labels, /^traefik\.http\.services\.[^.]+\.loadbalancer\.sticky\./i);
    if (service.labelSticky && !service.sticky) {
      const labelled = stickyServiceName(service);
      const routers = appRouters(service);
      const elsewhere = routers.length > 0 && !routers.some((r) => sameName(r.service, labelled));
      return [
        makeFinding(labelsApiDisagree, service, {
          // Affinity the labels promise but users do not get is as bad as none.
          severity: isRouted(service) && replicaCount(service) > 1 ? 'error' : 'warning',
          title: 'Labels set a sticky cookie the running service lacks',
          message: elsewhere
            ? `The sticky labels are on Traefik service ${labelled}, but the routers send to ${routers.map((r) => r.service).join(', ')}, which has no sticky cookie.`
            : 'The labels configure a sticky cookie, but the service Traefik is running has none, so users are not pinned.',
          evidence: [
            ...stickyLabels.map((l) => ev(l.key, l.value)),
            ev('running traefik service', service.traefikServices.join(', ') || '(none)'),
            ev('running sticky cookie', null),
            ...service.labelConfig.problems.map((p) => ev(`label problem ${p.key}`, p.reason)),
            ...routers.map((r) => ev('router', `${r.name} → ${r.service}`)),
          ],
          fix:
            elsewhere
              ? labelFix(service, { set: Object.fromEntries(routers.map((r) => [routerLabel(r.name, 'service'), labelled])) })
              : { labelsToAdd: {}, labelsToRemove: [], note: 'Check Traefik’s log for label errors and that traefik.enable and the provider constraints select this service.' },
        }),
      ];
    }
    if (!service.labelSticky && service.sticky) {
      return [
        makeFinding(labelsApiDisagree, service, {
          severity: 'info',
          title: 'Sticky cookie set outside the labels',
          message: 'The running service is sticky although its labels do not say so; another provider or a file configuration sets it, and editing the labels will not change it.',
          evidence: [ev('running traefik service', service.traefikServices.join(', ') || '(none)'), ev('sticky labels', null)],
          fix: null,
        }),
      ];
    }
    if (!service.labelSticky || !service.sticky) return [];
    const diff = differences(service.labelSticky, service.sticky);
    if (diff.length === 0) return [];
    return [
      makeFinding(labelsApiDisagree, service, {
        message: `The running sticky cookie differs from the labels in ${diff.map((d) => d.label).join(', ')}; browsers get the running one.`,
        evidence: [...diff, ...stickyLabels.map((l) => ev(l.key, l.value))],
        fix: { labelsToAdd: {}, labelsToRemove: [], note: 'Redeploy or update the service so Traefik reloads its labels, and check whether another provider defines the same service.' },
      }),
    ];
  },
};
