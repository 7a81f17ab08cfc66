// Saves a probe run as a report while it runs: opens a `running` report, sends records in batches, then finishes it
// with the outcome. Client-safe (the Probe page uses it; tests drive it against the real route handlers).
//
// The probe loop only ever calls `add`, which queues and returns: sending happens in one background loop, one batch
// at a time, so batches arrive in index order. A batch that fails for a passing reason (network, 5xx) is re-sent as it
// was; the store treats a re-sent record index as the same record. A refusal (4xx) ends saving, and says why. The
// queue is bounded: past `maxPending` waiting records, new ones are counted as lost instead of growing memory.
// Failover experiments sent during the run go the same way, ahead of the next batch.
import type { ExperimentEvent } from '@/lib/experiments/types';
import type { ProbeSpec } from '@/lib/probe/spec';
import type { ProbeRecord } from '@/lib/probe/types';
import type { CreateRunInput, FinishRunInput } from './api-schema';
import type { ReportOutcome } from './schema';

export type ReportWriterPhase = 'creating' | 'writing' | 'finishing' | 'saved' | 'failed';

export type ReportWriterState = {
  phase: ReportWriterPhase;
  reportId: string | null;
  /** Records the server has committed. */
  saved: number;
  /** Records waiting to be sent. */
  pending: number;
  /** Records that will not be saved: beyond the queue bound, or still waiting when saving failed for good. */
  lost: number;
  /** Experiment events the server has committed. */
  experiments: number;
  /** The report's status once finished. */
  status: FinishRunInput['status'] | null;
  /** Why saving is retrying or has failed, for a person; null while all is well. */
  problem: string | null;
};

export type ReportWriterOptions = {
  spec: ProbeSpec;
  startedAt: number;
  serviceId?: string | null;
  redaction?: CreateRunInput['redaction'];
  /** Base of the report API. */
  endpoint?: string;
  fetch?: typeof fetch;
  /** Records per request. */
  batchSize?: number;
  /** How long a partly filled batch waits for more records. */
  flushMs?: number;
  maxPending?: number;
  /** Waits between attempts of one request; its length is the number of retries. */
  retryDelaysMs?: readonly number[];
};

type Sent<T> = { ok: true; body: T } | { ok: false; message: string };

export const DEFAULT_RETRY_DELAYS_MS = [250, 500, 1000, 2000, 4000, 8000];

class Refused extends Error {}

export class ReportWriter {
  private state: ReportWriterState = { phase: 'creating', reportId: null, saved: 0, pending: 0, lost: 0, experiments: 0, status: null, problem: null };
  private readonly listeners = new Set<() => void>();
  private queue: ProbeRecord[] = [];
  private head = 0;
  private events: ExperimentEvent[] = [];
  private finishSent = false;
  private ending: FinishRunInput | null = null;
  private wake: (() => void) | null = null;
  private readonly done: Promise<ReportWriterState>;
  private readonly endpoint: string;
  private readonly doFetch: typeof fetch;
  private readonly batchSize: number;
  private readonly flushMs: number;
  private readonly maxPending: number;
  private readonly retryDelaysMs: readonly number[];

  constructor(private readonly options: ReportWriterOptions) {
    this.endpoint = options.endpoint ?? '/api/reports';
    this.doFetch = options.fetch ?? ((input, init) => fetch(input, init));
    this.batchSize = options.batchSize ?? 200;
    this.flushMs = options.flushMs ?? 250;
    this.maxPending = options.maxPending ?? 50_000;
    this.retryDelaysMs = options.retryDelaysMs ?? DEFAULT_RETRY_DELAYS_MS;
    this.done = this.run();
  }

  /** Queues one record; never waits. */
  add(record: ProbeRecord): void {
    if (this.ending || this.state.phase === 'failed') {
      if (this.state.phase === 'failed') this.update({ lost: this.state.lost + 1 });
      return;
    }
    const pending = this.queue.length - this.head;
    if (pending >= this.maxPending) {
      this.update({ lost: this.state.lost + 1, problem: `more than ${this.maxPending} records waiting to be saved; later ones are not kept` });
      return;
    }
    this.queue.push(record);
    // The state (and its listeners) catch up with each batch, not each record: a fast run adds thousands a second.
    if (pending === 0 || pending + 1 >= this.batchSize) this.signal();
  }

  /** Queues an experiment sent during the run; it reaches the report unless the report was already closed. */
  addExperiment(event: ExperimentEvent): void {
    if (this.finishSent || this.state.phase === 'failed') {
      this.update({ problem: `the ${event.action} experiment came after the report was closed and is not in it` });
      return;
    }
    this.events.push(event);
    this.signal();
  }

  /** Sends what is left, then closes the report; resolves with the final state and never rejects. */
  finish(status: FinishRunInput['status'], outcome: ReportOutcome, endedAt = Date.now()): Promise<ReportWriterState> {
    this.ending ??= { status, endedAt, outcome };
    this.signal();
    return this.done;
  }

  getState = (): ReportWriterState => this.state;

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  private async run(): Promise<ReportWriterState> {
    const { spec, startedAt, serviceId = null, redaction = {} } = this.options;
    const body: CreateRunInput = { spec, startedAt, serviceId, redaction };
    const created = await this.send<{ id: string }>(`${this.endpoint}/runs`, body);
    if (!created.ok) return this.fail(`the report could not be created: ${created.message}`);
    const base = `${this.endpoint}/${encodeURIComponent(created.body.id)}`;
    this.update({ phase: 'writing', reportId: created.body.id });

    for (;;) {
      while (this.pending() === 0 && this.events.length === 0 && !this.ending) await this.waitForSignal();
      if (this.events.length) {
        const events = this.events;
        this.events = [];
        const sent = await this.send(`${base}/experiments`, { experiments: events });
        if (!sent.ok) return this.fail(`experiments could not be saved: ${sent.message}`);
        this.update({ experiments: this.state.experiments + events.length });
        continue;
      }
      if (this.pending() === 0) break;
      if (this.pending() < this.batchSize && !this.ending) await this.waitForSignal(this.flushMs);
      const batch = this.queue.slice(this.head, this.head + this.batchSize);
      this.update({ pending: this.pending() });
      const sent = await this.send(`${base}/records`, { records: batch });
      if (!sent.ok) return this.fail(`records could not be saved: ${sent.message}`);
      this.head += batch.length;
      if (this.head > 4096 && this.head * 2 > this.queue.length) {
        this.queue = this.queue.slice(this.head);
        this.head = 0;
      }
      this.update({ saved: this.state.saved + batch.length, pending: this.pending() });
    }

    const ending = this.ending;
    if (!ending) return this.state;
    this.finishSent = true;
    this.update({ phase: 'finishing' });
    const finished = await this.send(`${base}/finish`, ending);
    if (!finished.ok) return this.fail(`the report could not be finished: ${finished.message}`);
    this.update({ phase: 'saved', status: ending.status, problem: null });
    return this.state;
  }

  private pending(): number {
    return this.queue.length - this.head;
  }

  private fail(problem: string): ReportWriterState {
    const lost = this.state.lost + this.pending();
    this.queue = [];
    this.head = 0;
    this.update({ phase: 'failed', problem, lost, pending: 0 });
    return this.state;
  }

  /** POSTs JSON, retrying passing failures with the configured waits; a 4xx answer is final. */
  private async send<T>(url: string, body: unknown): Promise<Sent<T>> {
    const json = JSON.stringify(body);
    let message = '';
    for (let attempt = 0; ; attempt++) {
      try {
        const response = await this.doFetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: json });
        const text = await response.text();
        if (response.ok) {
          if (this.state.problem && this.state.lost === 0) this.update({ problem: null });
          return { ok: true, body: (text ? JSON.parse(text) : null) as T };
        }
        message = errorText(response.status, text);
        if (response.status >= 400 && response.status < 500 && response.status !== 408 && response.status !== 429) throw new Refused(message);
      } catch (error) {
        if (error instanceof Refused) return { ok: false, message };
        message = error instanceof Error ? error.message : String(error);
      }
      const delay = this.retryDelaysMs[attempt];
      if (delay === undefined) return { ok: false, message };
      this.update({ problem: `saving is retrying: ${message}` });
      await new Promise((resolve) => setTimeout(resolve, delay));
    }
  }

  private signal(): void {
    const wake = this.wake;
    this.wake = null;
    wake?.();
  }

  /** Resolves at the next `signal`, or after `timeoutMs` when given. */
  private waitForSignal(timeoutMs?: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = timeoutMs === undefined ? null : setTimeout(() => this.signal(), timeoutMs);
      this.wake = () => {
        if (timer) clearTimeout(timer);
        resolve();
      };
    });
  }

  private update(change: Partial<ReportWriterState>): void {
    this.state = { ...this.state, ...change };
    for (const listener of this.listeners) listener();
  }
}

function errorText(status: number, text: string): string {
  try {
    const body = JSON.parse(text) as { error?: { message?: unknown } };
    if (typeof body.error?.message === 'string') return `${body.error.message} (HTTP ${status})`;
  } catch {
    // Not our JSON error shape: a proxy's page, an empty body.
  }
  return `HTTP ${status}`;
}
