// Query keys run from general to specific so one prefix invalidates a whole area.
export const queryKeys = {
  topology: ['topology'] as const,
  experiments: ['experiments'] as const,
} as const;
