import 'server-only';
// The experiment log: append-only, every preview, confirmation and run with who, when, what and the result.
//
// Kept in memory, bounded, and each entry also written as one JSON line to the process's log, which outlives the
// process. The report store has no place for it yet; an implementation backed by it can take this interface.
import { randomBytes } from 'node:crypto';
import type { ExperimentLogEntry } from './types';

export type NewLogEntry = Omit<ExperimentLogEntry, 'id' | 'at'>;

export interface ExperimentLog {
  append(entry: NewLogEntry): ExperimentLogEntry;
  /** Newest first. */
  list(limit?: number): ExperimentLogEntry[];
}

export type MemoryLogOptions = {
  /** Entries kept in memory; older ones remain only in the process log. Default 500. */
  max?: number;
  now?: () => number;
  /** Where each entry goes as a line; default the server's log. */
  write?: (line: string) => void;
};

export class MemoryExperimentLog implements ExperimentLog {
  private readonly entries: ExperimentLogEntry[] = [];
  private readonly max: number;
  private readonly now: () => number;
  private readonly write: (line: string) => void;

  constructor(options: MemoryLogOptions = {}) {
    this.max = options.max ?? 500;
    this.now = options.now ?? Date.now;
    this.write = options.write ?? ((line) => console.info(line));
  }

  append(entry: NewLogEntry): ExperimentLogEntry {
    const full: ExperimentLogEntry = Object.freeze({ id: randomBytes(8).toString('hex'), at: new Date(this.now()).toISOString(), ...entry });
    this.entries.push(full);
    if (this.entries.length > this.max) this.entries.splice(0, this.entries.length - this.max);
    this.write(`stickyscope experiment ${JSON.stringify(full)}`);
    return full;
  }

  list(limit = 100): ExperimentLogEntry[] {
    return this.entries.slice(-limit).reverse();
  }
}
