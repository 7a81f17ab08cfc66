import 'server-only';
// Label edits on the demo lab as the API offers them: refused unless the lab is on and the service is one of its own;
// once applied, the topology (and so the findings and the relay allowlist) is read afresh.
import { getConfig } from '@/lib/env';
import { ForbiddenError, InputError } from '@/lib/errors';
import { invalidateTopology } from '@/lib/topology';
import type { TopologyService } from '@/lib/topology/types';
import { getLab } from './index';
import type { Lab, LabEditResult } from './lab';
import type { LabelChange } from './labels';
import { mapLabServices } from './topology';

async function labForEdits(): Promise<Lab> {
  if (!getConfig().lab) {
    throw new ForbiddenError(
      'lab-off',
      'The embedded demo lab is off, and label edits exist only for the demo lab: stickyscope never changes a real cluster. Set STICKYSCOPE_LAB=1 to run the lab.',
    );
  }
  return getLab();
}

/** Turns the lab's answer into the API's: the service as the topology shows it, or the matching error. */
async function applied(lab: Lab, edit: Promise<LabEditResult>): Promise<TopologyService> {
  const result = await edit;
  if (!result.ok) {
    if (result.code === 'not-a-lab-service') throw new ForbiddenError(result.code, result.message);
    throw new InputError(result.message, result.issues);
  }
  invalidateTopology();
  return mapLabServices([result.service], lab.address)[0]!;
}

export async function editLabServiceLabels(name: string, change: LabelChange): Promise<TopologyService> {
  const lab = await labForEdits();
  return applied(lab, lab.editLabels(name, change));
}

export async function resetLabService(name: string): Promise<TopologyService> {
  const lab = await labForEdits();
  return applied(lab, lab.resetLabels(name));
}
