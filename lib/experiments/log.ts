// The experiment log: append-only, every preview, confirmation and run with who, when, what and the result.
//
// The dashboard keeps it in its database (DatabaseExperimentLog), so every dashboard process on one database sees the
// same log; the CLI writes its entries to stderr only. Every entry is also one JSON line in the process's output.
import { randomBytes } from 'node:crypto';
import type { ExperimentLogEntry } from './types';

export type NewLogEntry = Omit<ExperimentLogEntry, 'id' | 'at'>;

export interface ExperimentLog {
  append(entry: NewLogEntry): Promise<ExperimentLogEntry>;
  /** Newest first. */
  list(limit?: number): Promise<ExperimentLogEntry[]>;
}

export type LogOptions = {
  now?: () => number;
  /** Where each entry goes as a line; default the server's log. */
  write?: (line: string) => void;
};

export const DEFAULT_LOG_LIST = 100;

/** Stamps an entry with its id and time, and writes it to the process log. */
export function stampLogEntry(entry: NewLogEntry, options: LogOptions): ExperimentLogEntry {
  const now = options.now ?? Date.now;
  const full: ExperimentLogEntry = Object.freeze({ id: randomBytes(8).toString('hex'), at: new Date(now()).toISOString(), ...entry });
  (options.write ?? ((line) => console.info(line)))(`stickyscope experiment ${JSON.stringify(full)}`);
  return full;
}
