// The experiment log: append-only, every preview, confirmation and run with who, when, what and the result.
//
// The dashboard keeps it in its database (DatabaseExperimentLog), so every dashboard process on one database sees the
// same log; the CLI keeps its own run's entries in memory. Both also write each entry as one JSON line to the
// process's log.
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

export class MemoryExperimentLog implements ExperimentLog {
  private readonly entries: ExperimentLogEntry[] = [];
  private readonly max: number;

  /** `max`: entries kept in memory; older ones remain only in the process log. Default 500. */
  constructor(private readonly options: LogOptions & { max?: number } = {}) {
    this.max = options.max ?? 500;
  }

  async append(entry: NewLogEntry): Promise<ExperimentLogEntry> {
    const full = stampLogEntry(entry, this.options);
    this.entries.push(full);
    if (this.entries.length > this.max) this.entries.splice(0, this.entries.length - this.max);
    return full;
  }

  async list(limit = DEFAULT_LOG_LIST): Promise<ExperimentLogEntry[]> {
    return this.entries.slice(-limit).reverse();
  }
}
