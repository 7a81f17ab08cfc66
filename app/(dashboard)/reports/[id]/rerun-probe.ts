// "Run this probe again": the Probe page prefilled with everything a stored run's spec holds, in the mode it ran in
// and with the service it was about. A demo lab run is pointed at the lab balancer's current port, which changes
// whenever the dashboard restarts.
import { LAB_DOMAIN } from '@/lib/lab/scenarios';
import { probeFormFromSpec, type ProbeFormValues } from '@/lib/probe/form';
import type { Report } from '@/lib/reports/schema';
import type { LabSourceStatus } from '@/lib/topology/types';
import { probeHref } from '../../probes/search-params';

type LabBalancer = NonNullable<LabSourceStatus['balancer']>;

function labHostOf(target: string): string | null {
  try {
    const host = new URL(target).hostname;
    return host.endsWith(`.${LAB_DOMAIN}`) ? host : null;
  } catch {
    return null;
  }
}

export function isLabTarget(target: string): boolean {
  return labHostOf(target) !== null;
}

function onLabBalancer(form: ProbeFormValues, lab: LabBalancer): ProbeFormValues {
  const host = labHostOf(form.target);
  if (!host) return form;
  const url = new URL(form.target);
  url.port = String(lab.port);
  return { ...form, target: url.href, resolve: `${host}:${lab.port}:${lab.address}` };
}

export function rerunProbeHref(report: Pick<Report, 'spec' | 'records' | 'topology'>, lab: LabBalancer | null): string {
  const mode = report.records[0]?.transport === 'direct' ? 'direct' : 'relay';
  const form = probeFormFromSpec(report.spec, mode);
  return probeHref({ ...(lab ? onLabBalancer(form, lab) : form), serviceId: report.topology?.service.id ?? null });
}
