'use client';

import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { LabelChange } from '@/lib/lab/labels';
import { queryKeys } from '@/lib/queries/keys';
import { editLabLabels, resetLabScenario } from '@/lib/queries/lab';

export type LabEdit = { kind: 'change'; change: Partial<LabelChange> } | { kind: 'reset' };

/**
 * Label edits on one demo lab service. The mutation stays pending until the refetched topology is in, so when it
 * settles the page already shows the new labels, sticky settings and findings. `onApplied` hears of each edit that
 * the lab took, even when the component that asked is gone by then.
 */
export function useLabEdit(serviceName: string, onApplied?: (edit: LabEdit) => void) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (edit: LabEdit) => (edit.kind === 'reset' ? resetLabScenario(serviceName) : editLabLabels(serviceName, edit.change)),
    // Said before the refetch: a fix that clears its finding removes the card that asked for it.
    onSuccess: (_service, edit) => {
      onApplied?.(edit);
      return queryClient.invalidateQueries({ queryKey: queryKeys.topology });
    },
  });
}
