// Types for build.mjs, so TypeScript callers (the attack suite's setup) get checked imports.

/** Whether the build is missing or older than one of its sources. */
export function buildIsStale(): boolean;

/** Builds when stale, saying why with `reason`; returns the build's exit status, 0 when nothing needed building. */
export function buildIfStale(reason: string): number;
