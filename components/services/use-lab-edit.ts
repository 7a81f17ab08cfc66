'use client';

import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { LabelChange } from '@/lib/lab/labels';
import { queryKeys } from '@/lib/queries/keys';
import { editLabLabels, resetLabScenario } from '@/lib/queries/lab';

export type LabEdit = { kind: 'change'; change: Partial<LabelChange> } | { kind: 'reset' };

/**
 * Label edits on one demo lab service. The mutation stays pending until the refetched topology is in, so when it
 * settles the page already shows the new labels, sticky settings and findings.
 */
export function useLabEdit(serviceName: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (edit: LabEdit) => (edit.kind === 'reset' ? resetLabScenario(serviceName) : editLabLabels(serviceName, edit.change)),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: queryKeys.topology }),
  });
}
