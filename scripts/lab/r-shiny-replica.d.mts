import type { ReplicaCommand } from './haproxy.mjs';

export const RSCRIPT: string;
/** A `replicaCommand` for startHaproxyLab that serves `appDir` with R Shiny on the replica's port. */
export function rShinyReplica(appDir: string): ReplicaCommand;
